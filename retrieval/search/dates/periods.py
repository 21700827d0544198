"""Periods: date ranges, the archive's calendar, and the arithmetic of days, weeks, months and years.

A :class:`DateRange` is inclusive on both ends and may be open on either. :data:`CALENDAR`, 1800-01-01 to
2999-12-31, is the archive's calendar: no article is dated before 1800 (ingestion keeps such a date
out, :mod:`ingest.loaders.dates`), a typed date outside it is refused with :class:`DateOutOfRange`
(:mod:`~retrieval.search.dates.arguments`), and a timeline places no article outside it
(:mod:`retrieval.search.timeline`). The arithmetic is plain: counted back from a given ``today``, a
week from Monday to Sunday, a month from its first day to its last.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive on both ends; ``None`` leaves that end open."""

    since: date | None
    until: date | None

    def __contains__(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


CALENDAR = DateRange(date(1800, 1, 1), date(2999, 12, 31))
"""The dates :func:`parse_date_arg` accepts (a filter, a command-line option) and a timeline places."""


class DateOutOfRange(ValueError):
    """A date a person typed lies outside :data:`CALENDAR`; the message says so, for the user."""

    def __init__(self, day: date) -> None:
        self.day = day
        super().__init__(f"{day.isoformat()} {OUT_OF_RANGE}")


OUT_OF_RANGE = f"is out of range ({CALENDAR.since} to {CALENDAR.until})"


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def days_back(today: date, days: int) -> DateRange:
    day = today - timedelta(days=days)
    return DateRange(day, day)


def weeks_back(today: date, weeks_back: int) -> DateRange:
    monday = today - timedelta(days=today.weekday(), weeks=weeks_back)
    return DateRange(monday, monday + timedelta(days=6))


def months_back(today: date, months_back: int) -> DateRange:
    first = add_months(today.replace(day=1), -months_back)
    return DateRange(first, month_end(first))


def whole_year(year: int) -> DateRange:
    return DateRange(date(year, 1, 1), date(year, 12, 31))


def rolling(today: date, count: int, unit: str) -> DateRange:
    """The last ``count`` units up to today: "за последние 3 дня" on the 10th is the 7th..10th."""
    if unit.startswith(("недел", "week")):
        since = today - timedelta(weeks=count)
    elif unit == "fortnight":
        since = today - timedelta(weeks=2 * count)
    elif unit.startswith(("месяц", "month")):
        since = add_months(today, -count)
    elif unit.startswith(("год", "лет", "year")):
        since = add_months(today, -12 * count)
    elif unit.startswith(("час", "hour")):
        since = today - timedelta(days=max(1, -(-count // 24)))
    else:
        since = today - timedelta(days=count)
    return DateRange(since, today)
