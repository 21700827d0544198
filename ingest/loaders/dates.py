"""Article dates as written in files: ISO, ``DD/MM/YYYY``, ``DD.MM.YYYY``, RFC 2822, month names.

The common numeric shapes are parsed directly; only the rest goes to ``dateparser`` (Russian and
English, day before month, absolute dates only: "yesterday" means nothing in an archive). A date with a
time zone keeps the calendar day as written, the day the outlet printed.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = ["DAY_MONTH_YEAR", "parse_article_date"]

# DD/MM/YYYY or DD.MM.YYYY, with an optional time: the shape of NEREL date lines.
DAY_MONTH_YEAR = re.compile(
    r"(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4})(?:[ T,]+\d{1,2}:\d{2}(?::\d{2})?)?"
)


def parse_article_date(value: str) -> date | None:
    """The calendar date in ``value``; ``None`` for a blank value.

    Raises :class:`ValueError` naming the value when it is not blank and not a date.
    """
    text = value.strip()
    if not text:
        return None
    parsed = _parse_numeric(text) or _parse_rfc2822(text) or _parse_words(text)
    if parsed is None:
        raise ValueError(f"date {value!r} not understood")
    return parsed


def _parse_numeric(text: str) -> date | None:
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    match = DAY_MONTH_YEAR.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None  # 31/02/2026: let the slower parser have its say, then fail with the value


def _parse_rfc2822(text: str) -> date | None:
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _parse_words(text: str) -> date | None:
    found = _word_parser().get_date_data(text).date_obj
    return found.date() if found is not None else None


@cache
def _word_parser() -> DateDataParser:
    from dateparser.date import DateDataParser  # imported on first use: it takes a while to load

    return DateDataParser(
        languages=["ru", "en"],
        settings={
            "DATE_ORDER": "DMY",
            "PARSERS": ["custom-formats", "absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"],
        },
    )
