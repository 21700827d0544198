"""Dates understood from what people write, in Russian and English: in a question, in a text, in a filter.

- :mod:`~retrieval.search.dates.reading`: the range a question asks about (:func:`parse_question_dates`)
  and where a text names calendar dates (:func:`date_spans`);
- :mod:`~retrieval.search.dates.arguments`: one typed date, for ``--since``/``--until`` and the bot's
  filters (:func:`parse_date_arg`);
- :mod:`~retrieval.search.dates.grammar`: the patterns that find dates in text and what each means;
- :mod:`~retrieval.search.dates.points`: a day or a month as written, read by dateparser;
- :mod:`~retrieval.search.dates.periods`: :class:`DateRange`, the archive's :data:`CALENDAR` and the
  arithmetic of periods.
"""

from retrieval.search.dates.arguments import parse_date_arg
from retrieval.search.dates.periods import CALENDAR, OUT_OF_RANGE, DateOutOfRange, DateRange
from retrieval.search.dates.reading import DateIntent, date_spans, parse_question_dates

__all__ = [
    "CALENDAR",
    "OUT_OF_RANGE",
    "DateIntent",
    "DateOutOfRange",
    "DateRange",
    "date_spans",
    "parse_date_arg",
    "parse_question_dates",
]
