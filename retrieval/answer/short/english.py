"""A short answer for an English reader: names and places in Latin letters, dates and amounts in English
forms, always beside the Russian words they render.

A name takes the spelling the question itself uses ("Witkoff" for "Уиткофф": they share a consonant key,
:mod:`retrieval.names`), else the one an English passage among the results uses, else a standard
transliteration (iuliia's Wikipedia schema) of its nominative form ("Дональда Трампа" -> "Donald
Tramp"). Dates read day, month and year ("20 марта 2017 года" -> "20 March 2017"); numbers take English
digit grouping and decimal points, their scales, currencies and units in words ("8,1 млн долларов" ->
"8.1 million dollars"). Words with no rendering are transliterated.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from retrieval.answer.short.spans import numeral_value
from retrieval.entities.morphology import nominative, normal_form
from retrieval.names import consonant_key, sounds_alike, transcribe

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
_TOKEN = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*|\d+(?:[\s\u00a0]\d{3})*(?:[.,]\d+)?|[^\sА-Яа-яЁё\d]+|\s+")
_MONTHS = {
    "январ": "January", "феврал": "February", "март": "March", "апрел": "April", "ма": "May",
    "июн": "June", "июл": "July", "август": "August", "сентябр": "September", "октябр": "October",
    "ноябр": "November", "декабр": "December",
}  # fmt: skip
_WORDS = {
    "и": "and", "или": "or", "года": "", "году": "", "год": "", "г": "", "тыс": "thousand",
    "тысяча": "thousand", "млн": "million", "миллион": "million", "млрд": "billion",
    "миллиард": "billion", "трлн": "trillion", "триллион": "trillion", "доллар": "dollars",
    "долл": "dollars", "рубль": "roubles", "руб": "roubles", "евро": "euros", "фунт": "pounds",
    "процент": "percent", "километр": "kilometres", "км": "km", "квадратный": "square", "метр": "metres",
    "тонна": "tonnes", "гектар": "hectares", "человек": "people", "около": "about", "более": "more than",
    "менее": "less than", "свыше": "over", "почти": "almost", "примерно": "about", "век": "century",
    "лет": "years", "сша": "US", "в": "in", "до": "to", "от": "from",
}  # fmt: skip


def render_english(original: str, kind: str, question: str, spellings: Iterable[str] = ()) -> str:
    """``original`` (Russian words of a short answer of ``kind``) for an English reader; ``spellings``:
    texts in Latin letters whose names may spell the same names (English passages among the results)."""
    known = _latin_names([question, *spellings])
    out = []
    for token in _TOKEN.findall(original):
        if token.isspace():
            out.append(" ")
        elif token[0].isdigit():
            out.append(_number(token))
        elif _is_cyrillic(token):
            out.append(_word(token, kind, known))
        else:
            out.append(token)
    return _tidy("".join(out))


def _latin_names(texts: Iterable[str]) -> dict[str, str]:
    """Capitalised Latin words of ``texts`` by their consonant key."""
    names: dict[str, str] = {}
    for text in texts:
        for word in _LATIN_WORD.findall(text):
            if word[0].isupper() and len(word) > 2:
                names.setdefault(consonant_key(word), word)
    return names


def _word(token: str, kind: str, known: dict[str, str]) -> str:
    lowered = token.lower().replace("ё", "е")
    if token[0].isupper() and kind in ("person", "organization", "place", "other"):
        spelled = _spelled(token, known)
        if spelled:
            return spelled
    normal = normal_form(lowered)
    for stem, month in _MONTHS.items():
        if normal.startswith(stem) and (stem != "ма" or normal in ("май", "мая", "мае")):
            return month
    if (value := numeral_value(normal)) is not None:
        return str(value)
    if lowered in _WORDS or normal in _WORDS:
        return _WORDS.get(lowered, _WORDS.get(normal, ""))
    return _transliterate(nominative(token) if token[0].isupper() else token)


def _spelled(token: str, known: dict[str, str]) -> str | None:
    """The Latin spelling of a Russian name among ``known``: the same consonant key, or a transcription
    that sounds alike."""
    named = nominative(token)
    for word in (token, named):
        found = known.get(consonant_key(word))
        if found:
            return found
    lowered = named.lower()
    for latin in known.values():
        if sounds_alike(transcribe(latin), lowered):
            return latin
    return None


def _number(token: str) -> str:
    digits = re.sub(r"[\s\u00a0]", "", token).replace(",", ".")
    whole, _, fraction = digits.partition(".")
    grouped = f"{int(whole):,}" if len(whole) > 4 else whole
    return grouped + (f".{fraction}" if fraction else "")


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,.;:])", r"\1", text)


def _is_cyrillic(token: str) -> bool:
    return bool(re.match(r"[А-Яа-яЁё]", token))


@functools.cache
def _schema() -> Any:
    import iuliia

    return iuliia.WIKIPEDIA


def _transliterate(text: str) -> str:
    return str(_schema().translate(text))
