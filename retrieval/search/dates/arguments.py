"""A date as a person types it: ``--since``/``--until`` on the command line and the bot's filters.

:func:`parse_date_arg` reads ISO and numeric dates, a month, a year or the phrases a question's grammar
knows ("вчера", "last week"); a period stands for its first day, or its last when it ends a range. A
date outside :data:`~retrieval.search.dates.periods.CALENDAR` is refused with :class:`DateOutOfRange`
(a clear message, never an overflow further on).
"""

from __future__ import annotations

import re
from datetime import date

from retrieval.search.dates.periods import CALENDAR, DateOutOfRange, month_end
from retrieval.search.dates.points import dateparser_for
from retrieval.search.dates.reading import parse_question_dates


def _only_prepositions(text: str) -> bool:
    return all(word in ("в", "во", "за", "in", "on", "during", "of", "the") for word in text.lower().split())


def parse_date_arg(value: str, *, today: date, end: bool = False) -> date:
    """One date from a command-line option or a bot filter.

    Accepts "2026-01-06", "06.01.2026", "6 января 2026", "January 2026", "2026", "yesterday", "вчера",
    "last week". A month, a year or a week stands for its first day, or its last day when ``end``.
    Raises :class:`ValueError` for anything else, :class:`DateOutOfRange` for a date outside
    :data:`CALENDAR`.
    """
    day = _date_arg(value, today=today, end=end)
    if day not in CALENDAR:
        raise DateOutOfRange(day)
    return day


def _date_arg(value: str, *, today: date, end: bool) -> date:
    cleaned = value.strip().strip(".,;!?").strip()
    if not cleaned:
        raise ValueError(
            "empty date: use YYYY-MM-DD, DD.MM.YYYY, a month such as 'January 2026' or 'yesterday'"
        )
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    intent = parse_question_dates(cleaned, today=today)
    if (
        intent.range is not None
        and intent.matched
        and _only_prepositions(cleaned.replace(intent.matched, " ", 1))
    ):
        bound = intent.range.until if end else intent.range.since
        if bound is not None:
            return bound
    if not re.fullmatch(r"\d{1,3}", cleaned):  # "50" is no date, whatever dateparser says
        data = dateparser_for(today).get_date_data(cleaned)
        if data.date_obj is not None:
            day = data.date_obj.date()
            if end and data.period == "month":
                return month_end(day)
            if end and data.period == "year":
                return day.replace(month=12, day=31)
            return day
    raise ValueError(
        f"cannot understand the date {value!r}: use YYYY-MM-DD, DD.MM.YYYY, a month such as "
        "'January 2026', or a word such as 'yesterday'"
    )
