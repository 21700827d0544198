"""What kind of answer a question wants, and how much of it a sentence holds (Russian and English).

"who" wants names, "when" dates and years, "how many" numbers, "where" place names. The counts are crude
on purpose: they only break ties between sentences retrieval already found relevant.
"""

from __future__ import annotations

import re

_WHO = re.compile(r"^\s*(who|whom|whose)\b|\b(кто|кого|кому|кем|чей|чья|чьё|чьи)\b", re.IGNORECASE)
_WHEN = re.compile(
    r"^\s*when\b|\bwhat (year|date|day|month)\b|\bкогда\b|\bв каком году\b|\bкакого числа\b", re.IGNORECASE
)
_COUNT = re.compile(r"\bhow (many|much)\b|\bсколько\b", re.IGNORECASE)
_WHERE = re.compile(
    r"^\s*where\b|\bin what (city|country|place)\b|\b(где|куда|откуда)\b|\bв каком (городе|стране)\b",
    re.IGNORECASE,
)

_NAME_PAIR = re.compile(r"\b[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?\s+[A-ZА-ЯЁ][a-zа-яё]{2,}")
_CAPITAL = re.compile(r"(?<=[\s«\"(])[A-ZА-ЯЁ][a-zа-яё]{2,}")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_MONTH = re.compile(
    r"\b(январ|феврал|март|апрел|ма[йяе]|июн|июл|август|сентябр|октябр|ноябр|декабр|january|february|"
    r"march|april|june|july|august|september|october|november|december)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def answer_type(question: str) -> str | None:
    for name, pattern in (("count", _COUNT), ("when", _WHEN), ("who", _WHO), ("where", _WHERE)):
        if pattern.search(question):
            return name
    return None


def type_matches(kind: str | None, sentence: str) -> int:
    """How many answers of ``kind`` the sentence holds (0 when ``kind`` is None)."""
    if kind == "who":
        return len(_NAME_PAIR.findall(sentence))
    if kind == "when":
        return len(_YEAR.findall(sentence)) + len(_MONTH.findall(sentence))
    if kind == "count":
        return len(_NUMBER.findall(sentence))
    if kind == "where":
        return len(_CAPITAL.findall(sentence))
    return 0
