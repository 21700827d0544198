"""What in a news text is not prose: the lines (and line ends) that must never become part of a quote.

Scraped and pasted articles carry the page around the story: the headline again, photo captions and
credits, bylines, datelines, "read also" links and share buttons. Each is found by its own rule, on one
line of text at a time (lines are what ``\\n`` separates; a caption never shares a line with the story
unless it was glued to it):

- ``headline``: the line is the article's title again (compared without case, ``ё``, spaces and
  punctuation), the start of it (a headline that was cut), or the whole of a title that was cut with
  "…"; never a line ending in a full stop (a title taken from the first sentence is the first sentence);
- ``caption``: a short line (at most :data:`CAPTION_CHARS` before its credit, one sentence) that ends
  with a credit ("Войска США. Фото: из открытых источников"), opens with "На фото:", or is only a
  person's name (two to four capitalised words, no final stop) standing on its own between sentences;
- ``credit``: "Фото: …", "Photo: …", "Источник фото: …", "© …", "… / Getty Images": a whole line, or the
  end of a long line that it closes (at most :data:`CREDIT_CHARS`; then only that end is marked);
- ``byline``: "Автор: …", "Текст: …", "Подготовила Анна Иванова", "By John Smith", "(Reporting by …)";
- ``dateline``: a line that is only a date or time ("05/08/2008 10:35", "Обновлено: 6 января 2026"),
  or the head of a line that opens with a capitalised place and a date or an agency
  ("БИШКЕК, 5 августа /Новости-Грузия/. ", "LONDON, Jan 5 (Reuters) - "): then only the head is marked;
- ``navigation``: "Читайте также: …", "Подписывайтесь на …", "Read more: …", "Теги: …", a line of share
  buttons ("Share", "Поделиться", "Tweet Email"), a gallery counter ("1 из 12").

Real sentences stay: a rule needs a marker in its place (a credit word capitalised and followed by
``:``, a dash or a name at the end of a line), so "Он показал фото журналистам." or "Share prices fell."
are prose.

How to use it: :func:`quotable_spans` gives the parts of a text that may be quoted, each inside one line,
in order; split each into sentences and quote those. :func:`find_boilerplate` gives what was left out and
why, :func:`is_boilerplate` judges one line on its own (a name line counts as standing alone), and
:func:`prose_start` says where a text's prose begins (what a title taken from the text starts with).
Pure functions; the text is never changed: the loaders keep it whole, so stored chunks quote it by
offsets, and only what is quoted leaves the boilerplate out.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

__all__ = [
    "CAPTION_CHARS",
    "CREDIT_CHARS",
    "Boilerplate",
    "find_boilerplate",
    "is_boilerplate",
    "prose_start",
    "quotable_spans",
]

Kind = Literal["headline", "caption", "credit", "byline", "dateline", "navigation"]
Span = tuple[int, int]

CAPTION_CHARS = 120
"""The longest caption before its credit: a longer line is prose, and only its credit end is left out."""
CREDIT_CHARS = 80
"""The longest credit ("Фото: …" up to the line's end)."""
HEADLINE_CHARS = 300
"""The longest line taken for a cut title's whole headline."""
PROSE_WINDOW = 2000
"""How far :func:`prose_start` looks for the prose of a text."""
_SHORT_LINE = 200  # a line opening with a credit, caption or byline marker is one at most this long


class Boilerplate(NamedTuple):
    """``text[start:end]`` is not prose: a whole line (stripped) or, for a credit or dateline, part of it."""

    start: int
    end: int
    kind: Kind


_UPPER = "A-ZА-ЯЁ"
_CREDIT_WORD = re.compile(
    r"(?:Фото(?:графия|граф)?(?:\s+и\s+видео)?|Источник(?:\s+(?:фото|изображения|снимка))?|Автор\s+фото"
    r"|Видео|Иллюстрация|Изображение|Коллаж|Кадр(?:\s+из\s+видео)?|Скриншот|Инфографика|Снимок"
    r"|Photo(?:graph)?s?(?:\s+credit)?|Image(?:\s+credit)?|Picture|Illustration|Video|Credit|Source"
    r"|Screenshot|Graphic)"
    r"(?:\s*(?::|[—–]|/|-\s)|\s+(?=\S))",  # then ":", a dash, "/" or (checked below) a name
    re.IGNORECASE,
)
_SEPARATED = re.compile(r"\s*(?::|[—–]|/|-\s)")
_AGENCY = re.compile(
    r"(?:Getty\s+Images|Shutterstock|Depositphotos|Unsplash|Pixabay|Global\s+Look\s+Press|Legion[- ]Media"
    r"|iStock(?:photo)?|Alamy|AP\s+Photo|AFP(?:\s+Photo)?|EPA(?:-EFE)?|Reuters|ТАСС|РИА\s+Новости"
    r"|Фотохост-агентство\s+ТАСС|Коммерсантъ)[\s)\].]*$",
    re.IGNORECASE,
)
_AGENCY_SEPARATOR = "/|©—–("  # what stands before an agency that closes a line as a credit
_INSIDE_END = re.compile(rf"(?<![\s.][{_UPPER}])(?<!^[{_UPPER}])[.!?…]+[\"»”)]*\s+(?=\S)")
"""A sentence end with more text after it (not the stop of an initial: "А. Иванов")."""
_FINAL_STOP = re.compile(r"\.[\"'»”)\]]*$")
_PICTURED = re.compile(r"(?:На\s+(?:фото|снимке|фотографии|кадре)|Pictured|В\s+центре)\s*(?::|[—–])", re.I)

_BYLINE = re.compile(
    r"(?:(?:Автор(?:ы)?(?:\s+текста)?|Текст|Корреспондент|Редактор|Обозреватель|Author|Authors|Writer)"
    r"\s*(?::|[—–])"
    rf"|(?:Подготовил[аи]?|Беседовал[аи]?)\s+[{_UPPER}]"
    r"|\(?(?:Written|Reporting|Additional\s+reporting|Editing|Reported|Story|Words)\s+by\s)"
)
_NAME_WORD = rf"[{_UPPER}][a-zа-яё'’]+(?:-[{_UPPER}]?[a-zа-яё]+)?"
_BY_LINE = re.compile(
    rf"By\s+{_NAME_WORD}(?:(?:\s+|\s*[,&|]\s*|\s+and\s+)(?:{_NAME_WORD}|[{_UPPER}]\.|[A-Z]+))*"
)
_NAME_TOKEN = re.compile(rf"{_NAME_WORD}|(?:[{_UPPER}]\.){{1,2}}|de|da|van|von|der|фон|де|ван|бин|ибн")
_NAME_LAST = re.compile(_NAME_WORD)

_NAVIGATION = re.compile(
    r"(?:Читайте\s+(?:также|нас|ещё|еще|подробнее)|Читать\s+(?:также|далее|полностью)|Смотрите\s+также"
    r"|См\.\s+также|Подписывайтесь|Подпишитесь|Следите\s+за\s+(?:новостями|нами)|Нашли\s+ошибку"
    r"|Все\s+права\s+защищены|See\s+also|Also\s+read|Subscribe\s+(?:to|now|for)|Sign\s+up\s+(?:to|for|now)"
    r"|Follow\s+us|All\s+rights\s+reserved"
    r"|(?:(?:Новости|Материалы|Ещё|Еще|Ранее)\s+по\s+теме|По\s+теме|Теги|Метки|Tags|Related(?:\s+\w+)?"
    r"|Реклама|Advertisement|Read\s+(?:more|also|next))\s*(?::|[»>…]|$))",  # a label: then ":" or nothing
    re.IGNORECASE,
)
_BUTTONS = frozenset({
    "share", "поделиться", "tweet", "email", "e-mail", "print", "печать", "комментарии", "комментарий",
    "comments", "comment", "реклама", "advertisement", "фото", "видео", "photo", "photos", "video",
    "галерея", "gallery", "вконтакте", "вк", "telegram", "телеграм", "facebook", "twitter", "x",
    "whatsapp", "viber", "одноклассники", "ок", "linkedin", "pinterest", "reddit", "скопировать",
    "ссылку", "copy", "link", "наверх", "back", "to", "top", "главная", "home", "далее", "next", "назад",
    "previous", "on", "this", "в",
})  # fmt: skip
"""The words of a line of buttons and links: a line of these alone is navigation."""
_GALLERY = re.compile(r"(?:(?:Фото|Photo|Слайд|Slide)\s*)?\d+\s*(?:из|/|of)\s*\d+", re.IGNORECASE)

_MONTHS = (
    "январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]"
    "|ноябр[ья]|декабр[ья]|янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|дек"
    "|january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE_WORDS = re.compile(
    rf"\b(?:{_MONTHS}|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday|года|год|гг|г|в|at|мск|utc|gmt|am|pm)\b\.?",
    re.IGNORECASE,
)
_DATE_PREFIX = re.compile(
    r"(?:Опубликовано|Обновлено|Дата\s+публикации|Дата|Published|Updated|Posted|Last\s+updated)\s*:?\s*",
    re.IGNORECASE,
)
_DATE_LEFT = re.compile(r"[\d\s.,:/\-–—T()]+")
_DATELINE = re.compile(
    rf"[{_UPPER}][{_UPPER}.\-]{{2,}}(?:[ \-][{_UPPER}][{_UPPER}.\-]+){{0,2}}"  # БИШКЕК, НЬЮ-ЙОРК, NEW YORK
    r"(?P<paren>\s*\([^()]{2,40}\))?"  # (Reuters)
    rf"(?P<day>,\s*(?:\d{{1,2}}\s+(?i:{_MONTHS})\.?(?:\s+\d{{4}}(?:\s*г(?:ода|\.)?)?)?"
    rf"|(?i:{_MONTHS})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}[./]\d{{1,2}}(?:[./]\d{{2,4}})?))?"
    r"(?P<agency>\s*(?:/[^/\n]{2,30}/|\([^()\n]{2,30}\))"
    rf"|\s*[—–-]\s*[{_UPPER}][\w.\-]*(?:\s+[{_UPPER}][\w.\-]*){{0,2}}(?=\s*\.))?"
    r"(?:\s*\.|\s+[—–-])\s+"
)
"""The head of a line that opens with a place in capitals and a date or an agency (``(?i:…)``: month
names in any case, the place in capitals only)."""


def _fold(text: str) -> str:
    """Letters and digits only, lower case, ``ё`` as ``е``, words one space apart."""
    return " ".join(re.findall(r"\w+", text.casefold().replace("ё", "е")))


def _ends_sentence(line: str) -> bool:
    return bool(_FINAL_STOP.search(line))


def _is_headline(line: str, title: str) -> bool:
    """The title again: equal, its start (3+ words), or the whole of a title cut with "…"."""
    if not title or _ends_sentence(line) or len(line) > HEADLINE_CHARS:
        return False
    folded, head = _fold(line), _fold(title.rstrip().removesuffix("…"))
    if not folded or not head:
        return False
    if folded == head or (head.startswith(folded + " ") and len(folded.split()) >= 3):
        return True
    return title.rstrip().endswith("…") and folded.startswith(head) and not _INSIDE_END.search(line)


def _credit_start(line: str) -> int | None:
    """Where a credit that closes ``line`` starts ("Фото: …", "© …", "… / Getty Images"), or None."""
    for m in _CREDIT_WORD.finditer(line):
        at = m.start()
        before = line[:at].rstrip()
        if before and before[-1] not in '.!?…»"”/|—–-(:,;':
            continue
        if not line[at].isupper() and not before.endswith("("):
            continue
        tail = line[at:]
        if len(tail) > CREDIT_CHARS or _INSIDE_END.search(tail):
            continue
        if not _SEPARATED.match(line, m.start() + len(m.group().rstrip(" :—–/-"))) and (
            len(tail) > 50 or _ends_sentence(tail) or not m.group().lower().startswith(("фото", "photo"))
        ):
            continue  # "Фото Reuters" is a credit; "Видео показывает…" is not
        return at
    copyright_at = line.find("©")
    if copyright_at >= 0 and len(line) - copyright_at <= CREDIT_CHARS:
        return copyright_at
    agency = _AGENCY.search(line)
    if agency is not None:
        before = line[: agency.start()].rstrip()
        if not before:
            return 0
        if before[-1] in _AGENCY_SEPARATOR:
            return len(before) - 1
    return None


def _credit(line: str) -> tuple[Kind, int] | None:
    """``("credit", 0)`` for a whole-line credit, ``("caption", 0)`` for a caption that ends with one,
    ``("credit", at)`` for the credit that closes a line of prose."""
    at = _credit_start(line)
    if at is None:
        return None
    head = line[:at].rstrip(" (/|—–-©")
    if not head:
        return "credit", 0
    if len(head) <= CAPTION_CHARS and not _INSIDE_END.search(head):
        return "caption", 0
    return "credit", at


def _is_date_line(line: str) -> bool:
    """Only a date or a time, maybe after "Обновлено:": two groups of digits, or a month and a number."""
    prefix = _DATE_PREFIX.match(line)
    rest = line[prefix.end() :] if prefix else line
    named = _DATE_WORDS.search(rest) is not None
    left = _DATE_WORDS.sub(" ", rest)
    groups = len(re.findall(r"\d+", left))
    return len(line) <= 60 and bool(_DATE_LEFT.fullmatch(left)) and (groups >= 2 or (named and groups == 1))


def _is_buttons(line: str) -> bool:
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", line.casefold())
    return 0 < len(words) <= 6 and all(w in _BUTTONS for w in words) and not _FINAL_STOP.search(line)


def _is_name(line: str) -> bool:
    """Two to four capitalised words (initials allowed), nothing else: a name standing for a caption."""
    tokens = line.split()
    return (
        2 <= len(tokens) <= 4
        and all(_NAME_TOKEN.fullmatch(t) for t in tokens)
        and bool(_NAME_LAST.fullmatch(tokens[-1]))
    )


def _line_kind(line: str, title: str) -> tuple[Kind, int] | None:
    """What a stripped, non-empty line is, and where in it that starts (0: the whole line), or None."""
    if _is_headline(line, title):
        return "headline", 0
    short = len(line) <= _SHORT_LINE
    if (_NAVIGATION.match(line) and short) or _is_buttons(line) or _GALLERY.fullmatch(line):
        return "navigation", 0
    if short and (_BYLINE.match(line) or _BY_LINE.fullmatch(line)):
        return "byline", 0
    if short and _PICTURED.match(line):
        return "caption", 0
    if _is_date_line(line):
        return "dateline", 0
    return _credit(line)


def is_boilerplate(line: str, *, title: str = "") -> bool:
    """Whether the whole of ``line`` is left out of quotes (a name alone on it counts as a caption)."""
    stripped = line.strip()
    if not stripped:
        return False
    kind = _line_kind(stripped, title)
    return (kind is not None and kind[1] == 0) or _is_name(stripped)


def find_boilerplate(text: str, title: str = "") -> list[Boilerplate]:
    """What in ``text`` is not prose, in order; spans never cross a line break (see the module doc).

    ``title``: the article's title, so that a headline repeated in the text is found."""
    found: list[Boilerplate] = []
    previous: str | None = None  # the last non-blank line, None after a blank line or at the start
    previous_left_out = False
    offset = 0
    lines = text.split("\n")
    for i, raw in enumerate(lines):
        start, line = offset + len(raw) - len(raw.lstrip()), raw.strip()
        offset += len(raw) + 1
        if not line:
            previous = None
            continue
        kind = _line_kind(line, title)
        following = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if kind is None and _is_name(line) and _stands_alone(previous, previous_left_out, following):
            kind = ("caption", 0)
        if kind is not None:
            at = kind[1]
            found.append(Boilerplate(start + at, start + len(line), kind[0]))
        elif (head := _DATELINE.match(line)) and (head["day"] or head["paren"] or head["agency"]):
            found.append(Boilerplate(start, start + head.end(), "dateline"))
        previous, previous_left_out = line, kind is not None and kind[1] == 0
    return found


def _stands_alone(previous: str | None, previous_left_out: bool, following: str) -> bool:
    """A name line is a caption when it does not continue a sentence: the line before is blank, ends a
    sentence or was left out, and the next does not go on in lower case."""
    if previous is not None and not previous_left_out and not re.search(r"[.!?…][\"»”)]*$", previous):
        return False
    return not following[:1].islower()


def quotable_spans(text: str, title: str = "") -> list[Span]:
    """The parts of ``text`` that may be quoted: ``(start, end)`` of each line (stripped) without its
    boilerplate, in order; none is empty and none crosses a line break. Sentences are found within each."""
    left_out = iter(find_boilerplate(text, title))
    pending = next(left_out, None)
    spans: list[Span] = []
    start = 0
    for raw in text.split("\n"):
        end = start + len(raw)
        part = start
        while pending is not None and pending.end <= end:  # this line's boilerplate, in order
            spans.append((part, pending.start))
            part = pending.end
            pending = next(left_out, None)
        spans.append((part, end))
        start = end + 1
    return [trimmed for s, e in spans if (trimmed := strip_span(text, s, e))[1] > trimmed[0]]


def strip_span(text: str, start: int, end: int) -> Span:
    """The span ``start:end`` of ``text`` without the white space at its ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def prose_start(text: str) -> int:
    """Where the prose of ``text`` starts: past the boilerplate lines (and dateline) that open it, within
    its first :data:`PROSE_WINDOW` characters (0 when there is none, or nothing but boilerplate)."""
    spans = quotable_spans(text[:PROSE_WINDOW])
    return spans[0][0] if spans else 0
