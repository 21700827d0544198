"""Plain text and Markdown files: one article per file, its layout read from the content.

Layouts, tried in order:

1. seed: a ``date YYYY-MM-DD`` marker, then the text (``" date 2026-01-06 Европейские лидеры…"``);
   there is no title line, so the title is the first sentence;
2. headline: the first non-empty line is the title, the rest the text; a date line such as
   ``05/08/2008 10:35`` (day first) among the next few lines, or above the headline, gives the date
   and leaves the text (the NEREL layout);
3. one paragraph: no line stands out as a headline, so the title is the first sentence and the
   text is everything.

Markdown may open with front matter (``---`` / ``title: …`` / ``date: …`` / ``---``), and its
headline may be a ``# heading``.
"""

from __future__ import annotations

import re

from retrieval.records import LoadResult

from .article import ArticleLimits, RawArticle, add_article, normalise_text
from .dates import DAY_MONTH_YEAR
from .fields import raw_article_from_record

__all__ = ["load_text"]

_SEED_MARKER = re.compile(r"date:?[ \t]+(\d{4}-\d{2}-\d{2})(?=\s|$)[ \t]*", re.IGNORECASE)
_ISO_DATE_LINE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_FRONT_MATTER = re.compile(r"---\n(.*?)\n---(?:\n|$)", re.DOTALL)
_FRONT_MATTER_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")
_MARKDOWN_HEADING = re.compile(r"#{1,6}[ \t]+")
_SENTENCE_END = re.compile(r"[.!?…][\"'»”)]*$")
_DATE_LINE_WINDOW = 4  # a date line is looked for this many lines below the headline
_HEADLINE_LENGTH = 250  # a longer first line is a paragraph, not a headline


def load_text(content: str, where: str, limits: ArticleLimits, *, markdown: bool = False) -> LoadResult:
    """The article in a ``.txt`` or ``.md`` file; ``where`` is its path relative to the root."""
    result = LoadResult()
    raw = read_text_article(content, markdown=markdown)
    add_article(result, raw, limits, origin=where, fallback_id=where)
    return result


def read_text_article(content: str, *, markdown: bool = False) -> RawArticle:
    body = normalise_text(content)
    meta = RawArticle(text=None)
    if markdown:
        meta, body = _split_front_matter(body)
    if meta.title:
        return _with_meta(RawArticle(text=body), meta)
    seed = _SEED_MARKER.match(body)
    if seed:
        return _with_meta(RawArticle(text=body[seed.end() :], date=seed[1]), meta)
    return _with_meta(_read_headline_layout(body, markdown=markdown), meta)


def _read_headline_layout(body: str, *, markdown: bool) -> RawArticle:
    first, *rest = body.split("\n")  # normalised: the first line is not blank
    if _is_date_line(first) and "\n".join(rest).strip():  # the date above the headline
        below = _read_headline_layout("\n".join(rest).strip(), markdown=markdown)
        return RawArticle(text=below.text, title=below.title, date=first.strip())
    headline = first.strip()
    if markdown and (heading := _MARKDOWN_HEADING.match(headline)):
        headline = headline[heading.end() :]
    date_at = _find_date_line(rest)
    date = rest.pop(date_at).strip() if date_at is not None else None
    text = "\n".join(rest)
    if text.strip() and _looks_like_headline(headline, rest, dated=date is not None):
        return RawArticle(text=text, title=headline, date=date)
    return RawArticle(text="\n".join([first, *rest]), date=date)


def _find_date_line(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines[:_DATE_LINE_WINDOW]) if _is_date_line(line)), None)


def _is_date_line(line: str) -> bool:
    candidate = line.strip()
    return bool(DAY_MONTH_YEAR.fullmatch(candidate) or _ISO_DATE_LINE.fullmatch(candidate))


def _looks_like_headline(line: str, rest: list[str], *, dated: bool) -> bool:
    """Whether the first line is a title rather than the start of a one-paragraph text.

    It is, when short and either over a date line, or followed by more paragraphs, or neither ending a
    sentence nor running on into a lower-case next line (a hard-wrapped paragraph).
    """
    if len(line) > _HEADLINE_LENGTH:
        return False
    if dated or "\n\n" in "\n".join(rest).strip() or not rest[0].strip():
        return True
    return not _SENTENCE_END.search(line) and not rest[0].lstrip()[:1].islower()


def _split_front_matter(body: str) -> tuple[RawArticle, str]:
    match = _FRONT_MATTER.match(body)
    if match is None:
        return RawArticle(text=None), body
    fields: dict[str, object] = {}
    for line in match[1].split("\n"):
        pair = _FRONT_MATTER_LINE.fullmatch(line.strip())
        if pair:
            fields[pair[1]] = _unquote(pair[2].strip())
    return raw_article_from_record(fields), body[match.end() :].strip()


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _with_meta(found: RawArticle, meta: RawArticle) -> RawArticle:
    """``found`` with the front matter's fields laid over it."""
    return RawArticle(
        text=found.text,
        id=meta.id,
        title=meta.title or found.title,
        date=meta.date or found.date,
        url=meta.url,
        source=meta.source,
    )
