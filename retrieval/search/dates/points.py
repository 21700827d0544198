"""Points: a day or a month as a question writes it, maybe with a year, read by dateparser.

The grammar (:mod:`~retrieval.search.dates.grammar`) finds where a question names a day or a month; the
calendar part is handed to dateparser as a short canonical text ("6 января 2026", "january") and kept
only if dateparser reads it at the granularity the grammar expects. A day without a year is the most
recent such day not after ``today``; a month without a year likewise; a range between two points takes
a missing year from its other end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache

from dateparser.date import DateDataParser

from retrieval.search.dates.periods import DateRange, month_end


@lru_cache(maxsize=8)
def dateparser_for(today: date) -> DateDataParser:
    """A dateparser for Russian and English that prefers the past and counts from ``today``."""
    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
    }
    return DateDataParser(languages=["ru", "en"], settings=settings)


def read_as(text: str, period: str, today: date) -> date | None:
    """``text`` as dateparser reads it, or ``None`` unless it reads a date of this ``period``."""
    data = dateparser_for(today).get_date_data(text)
    if data.date_obj is None or data.period != period:
        return None
    return data.date_obj.date()


_GENITIVE = {"ма": "мая", "март": "марта", "август": "августа"}


def _canonical_month(word: str) -> str:
    """Russian month names in the genitive ("январе" -> "января"), which dateparser reads; others as is."""
    word = word.rstrip(".")
    if stem := re.fullmatch(r"(январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)[ьяею]", word):
        return stem[1] + "я"
    if stem := re.fullmatch(r"(март|август|ма)[айяеу]?", word):
        return _GENITIVE[stem[1]]
    return word


@dataclass(frozen=True, slots=True)
class Point:
    """A month word as written, maybe with a day and a year."""

    month: str
    day: int | None = None
    year: int | None = None


def resolve(point: Point, today: date) -> DateRange | None:
    """The day or month ``point`` names; without a year, the most recent one not after ``today``."""
    parts = (point.day, _canonical_month(point.month), point.year)
    first = read_as(" ".join(str(part) for part in parts if part), "day" if point.day else "month", today)
    if first is None:
        return None
    if point.year is None and first > today:  # dateparser prefers the past already; make sure of it
        return resolve(replace(point, year=first.year - 1), today)
    return DateRange(first, first if point.day else month_end(first))


def between(a: Point, b: Point, today: date) -> DateRange | None:
    """From ``a`` to ``b``; a missing year is taken from the other end, ``a`` falling before ``b``."""
    if b.year is not None:
        end = resolve(b, today)
        if end is None or end.until is None:
            return None
        start = resolve(replace(a, year=a.year or end.until.year), today)
        if start and start.since and a.year is None and start.since > end.until:
            start = resolve(replace(a, year=end.until.year - 1), today)
    else:
        start = resolve(a, today)
        if start is None or start.since is None:
            return None
        end = resolve(replace(b, year=start.since.year), today)
        if end and end.until and end.until < start.since:
            end = resolve(replace(b, year=start.since.year + 1), today)
    if not (start and end and start.since and end.until and start.since <= end.until):
        return None
    return DateRange(start.since, end.until)
