"""Dates read from text: the range a question asks about, and where a text names calendar dates.

``parse_question_dates("Что писали в январе 2026?", today=...)`` gives the range 2026-01-01..2026-01-31.
Several expressions in one question give the smallest range covering them all; a question that names
one year before today's places its days without a year in that year. Whether a question asks for the
latest state ("сейчас", "latest") is read apart from its range. Both use the grammar of
:mod:`~retrieval.search.dates.grammar`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from retrieval.search.dates.grammar import RECENT, scan
from retrieval.search.dates.periods import DateRange


@dataclass(frozen=True, slots=True)
class DateIntent:
    """What a question says about time: a range to filter on, and whether it asks for the latest state."""

    range: DateRange | None
    prefer_recent: bool
    matched: str | None  # the question's text that produced ``range``


def parse_question_dates(question: str, *, today: date) -> DateIntent:
    """The date range a question asks about, if it names one, and whether it asks for the latest state."""
    text = question.lower().replace("ё", "е")
    if len(text) != len(question):  # a rare character changed length when lower-cased
        question = text
    kept = scan(text, question, today, today)
    years = {
        year for start, end, _ in kept for year in re.findall(r"(?<!\d)[12]\d{3}(?!\d)", text[start:end])
    }
    if len(years) == 1 and (year := int(years.pop())) < today.year:
        # "1 июля ... чемпионата Европы 2012 года": a day without a year falls in the year named
        kept = scan(text, question, today, date(year, 12, 31))
    recent = RECENT.search(text) is not None
    if not kept:
        return DateIntent(None, recent, None)
    sinces = [span.since for _, _, span in kept]
    untils = [span.until for _, _, span in kept]
    covering = DateRange(
        None if None in sinces else min(d for d in sinces if d is not None),
        None if None in untils else max(d for d in untils if d is not None),
    )
    matched = "; ".join(question[start:end].strip() for start, end, _ in kept)
    return DateIntent(covering, recent, matched)


def date_spans(text: str, *, today: date) -> list[tuple[int, int]]:
    """Where ``text`` names calendar dates ("6 января 2026 года", "в феврале 2015 года", "March 2017"):
    the start and end of each, relative phrases ("вчера", "last week") left out; what a short answer to
    "when" quotes."""
    lowered = text.lower().replace("ё", "е")
    if len(lowered) != len(text):
        return []
    kept = scan(lowered, lowered, today, today, relative=False)
    return [(start + len(text[start:end]) - len(text[start:end].lstrip()), end) for start, end, _ in kept]
