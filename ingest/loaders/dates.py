"""Article dates as written in files: ISO, ``DD/MM/YYYY``, ``DD.MM.YYYY``, RFC 2822, month names.

The common numeric shapes are parsed directly; only the rest goes to ``dateparser`` (Russian and
English, day before month, absolute dates only: "yesterday" means nothing in an archive). A date with a
time zone keeps the calendar day as written, the day the outlet printed.

A date is kept only when it is plausible for a news article: from :data:`EARLIEST` (1800-01-01) to
:data:`FUTURE_DAYS` (one) day after the day of ingestion (an outlet's time zone may be a day ahead).
Any other date (9999-12-31, 0001-01-01, a year typed 2206 for 2026) is a mistake of the file, not a
date to sort, filter or chart by: :func:`parse_article_date` raises :class:`ImplausibleDate` for it,
and the article is ingested without a date, with a warning in the ingestion report naming the file,
the line and the date (:func:`ingest.loaders.article.add_article`).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = ["DAY_MONTH_YEAR", "EARLIEST", "FUTURE_DAYS", "ImplausibleDate", "parse_article_date"]

EARLIEST = date(1800, 1, 1)
"""The earliest date an article may carry."""
FUTURE_DAYS = 1
"""How many days after the day of ingestion an article may be dated."""


class ImplausibleDate(ValueError):
    """A calendar date no news article carries; the message says why (``is before 1800-01-01``)."""


# DD/MM/YYYY or DD.MM.YYYY, with an optional time: the shape of NEREL date lines.
DAY_MONTH_YEAR = re.compile(
    r"(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4})(?:[ T,]+\d{1,2}:\d{2}(?::\d{2})?)?"
)


def parse_article_date(value: str, *, today: date | None = None) -> date | None:
    """The calendar date in ``value``; ``None`` for a blank value.

    Raises :class:`ValueError` naming the value when it is not blank and not a date, and
    :class:`ImplausibleDate` when it is a date outside the plausible range (``today``: the day of
    ingestion, by default the local date).
    """
    text = value.strip()
    if not text:
        return None
    parsed = _parse_numeric(text) or _parse_rfc2822(text) or _parse_words(text)
    if parsed is None:
        raise ValueError(f"date {value!r} not understood")
    latest = (today or date.today()) + timedelta(days=FUTURE_DAYS)
    if parsed < EARLIEST:
        raise ImplausibleDate(f"is before {EARLIEST.isoformat()}")
    if parsed > latest:
        raise ImplausibleDate(f"is later than {latest.isoformat()}, a day after the day of ingestion")
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
