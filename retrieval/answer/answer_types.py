"""How many answers of the kind a question asks for (:func:`retrieval.answer.short.asked.asked_kind`) a
sentence holds, in any language (an LLM's sentences are in the reader's): names for a person or an
organisation, dates and years for a date, numbers for a number, capitalised words for a place. The
counts are crude on purpose: they only tell whether an LLM's sentence speaks to the question at all.
"""

from __future__ import annotations

import re

_NAME_PAIR = re.compile(r"\b[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?\s+[A-ZА-ЯЁ][a-zа-яё]{2,}")
_CAPITAL = re.compile(r"(?<=[\s«\"(])[A-ZА-ЯЁ][a-zа-яё]{2,}")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_MONTH = re.compile(
    r"\b(январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр|january|february|"
    r"march|april|june|july|august|september|october|november|december)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def type_matches(kind: str | None, sentence: str) -> int:
    """How many answers of ``kind`` the sentence holds (0 when ``kind`` is None or ``other``)."""
    if kind in ("person", "organization"):
        return len(_NAME_PAIR.findall(sentence))
    if kind == "date":
        return len(_YEAR.findall(sentence)) + len(_MONTH.findall(sentence))
    if kind == "number":
        return len(_NUMBER.findall(sentence))
    if kind == "place":
        return len(_CAPITAL.findall(sentence))
    return 0
