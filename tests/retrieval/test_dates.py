"""Dates in questions: the range a reader means, and no range where a number is only a quantity."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.search.dates import (
    CALENDAR,
    DateOutOfRange,
    DateRange,
    date_spans,
    parse_date_arg,
    parse_question_dates,
)

TODAY = date(2026, 1, 10)  # a Saturday: this week is 5..11 January, last week 29 December..4 January
D = date

# (question, since, until); both None: no range must be found.
RANGES: list[tuple[str, date | None, date | None]] = [
    # months
    ("Что писали в январе 2026 о переговорах?", D(2026, 1, 1), D(2026, 1, 31)),
    ("What happened in January 2026?", D(2026, 1, 1), D(2026, 1, 31)),
    ("Как звали капитана, который вернулся в порт в мае 2014 года?", D(2014, 5, 1), D(2014, 5, 31)),
    ("Which ferry sank off Malta in May of 2014?", D(2014, 5, 1), D(2014, 5, 31)),
    ("Что было в декабре?", D(2025, 12, 1), D(2025, 12, 31)),
    ("What happened in March?", D(2025, 3, 1), D(2025, 3, 31)),
    # days
    ("Что случилось 6 января?", D(2026, 1, 6), D(2026, 1, 6)),
    ("What happened on January 6?", D(2026, 1, 6), D(2026, 1, 6)),
    ("Что было 6 января 2026 года?", D(2026, 1, 6), D(2026, 1, 6)),
    ("Что обсуждали 15 января?", D(2025, 1, 15), D(2025, 1, 15)),  # not after today: last year's
    ("Что было 6-го янв.?", D(2026, 1, 6), D(2026, 1, 6)),
    ("What was said on the 6th of January?", D(2026, 1, 6), D(2026, 1, 6)),
    ("What happened on Jan 6, 2025?", D(2025, 1, 6), D(2025, 1, 6)),
    ("Что произошло 06.01.2026?", D(2026, 1, 6), D(2026, 1, 6)),
    ("What happened on 2026-01-06?", D(2026, 1, 6), D(2026, 1, 6)),
    ("В каком зале 1 июля прошёл последний концерт фестиваля 2016 года?", D(2016, 1, 1), D(2016, 12, 31)),
    # years and decades
    ("Что было в 2025 году?", D(2025, 1, 1), D(2025, 12, 31)),
    ("What happened in 2025?", D(2025, 1, 1), D(2025, 12, 31)),
    ("Когда в 1847 году открыли первую железную дорогу?", D(1847, 1, 1), D(1847, 12, 31)),
    ("Что случилось в 2025-м?", D(2025, 1, 1), D(2025, 12, 31)),
    ("Какая команда в 1970-х стала чемпионом страны?", D(1970, 1, 1), D(1979, 12, 31)),
    ("What did the shipyard build in the 1970s?", D(1970, 1, 1), D(1979, 12, 31)),
    ("Кто руководит городским оркестром с 2005 года?", D(2005, 1, 1), None),
    ("How were taxes collected before 1644?", None, D(1643, 12, 31)),
    # relative days, weeks, months, years
    ("Что было вчера?", D(2026, 1, 9), D(2026, 1, 9)),
    ("What happened yesterday?", D(2026, 1, 9), D(2026, 1, 9)),
    ("Что нового сегодня?", D(2026, 1, 10), D(2026, 1, 10)),
    ("What's the news today?", D(2026, 1, 10), D(2026, 1, 10)),
    ("Что писали позавчера?", D(2026, 1, 8), D(2026, 1, 8)),
    ("Что было на прошлой неделе?", D(2025, 12, 29), D(2026, 1, 4)),
    ("What happened last week?", D(2025, 12, 29), D(2026, 1, 4)),
    ("Что было на этой неделе?", D(2026, 1, 5), D(2026, 1, 11)),
    ("What happened this week?", D(2026, 1, 5), D(2026, 1, 11)),
    ("Что было в прошлом месяце?", D(2025, 12, 1), D(2025, 12, 31)),
    ("What happened last month?", D(2025, 12, 1), D(2025, 12, 31)),
    ("Что изменилось в прошлом году?", D(2025, 1, 1), D(2025, 12, 31)),
    ("Что случилось 3 дня назад?", D(2026, 1, 7), D(2026, 1, 7)),
    # rolling periods up to today
    ("Что произошло за последние 3 дня?", D(2026, 1, 7), D(2026, 1, 10)),
    ("What happened in the last 3 days?", D(2026, 1, 7), D(2026, 1, 10)),
    ("What happened over the past two weeks?", D(2025, 12, 27), D(2026, 1, 10)),
    ("Новости за последнюю неделю", D(2026, 1, 3), D(2026, 1, 10)),
    ("Что было за последние 24 часа?", D(2026, 1, 9), D(2026, 1, 10)),
    ("Что писали за последние два дня?", D(2026, 1, 8), D(2026, 1, 10)),
    # ranges
    ("Что было с 1 по 5 января?", D(2026, 1, 1), D(2026, 1, 5)),
    ("What happened between January 1 and January 5?", D(2026, 1, 1), D(2026, 1, 5)),
    ("Что писали 1–5 января 2026?", D(2026, 1, 1), D(2026, 1, 5)),
    ("Что было с 25 декабря по 5 января?", D(2025, 12, 25), D(2026, 1, 5)),
    ("What happened from December 2018 to May 2020?", D(2018, 12, 1), D(2020, 5, 31)),
    ("Сколько домов строилось с 2000 по 2005 год?", D(2000, 1, 1), D(2005, 12, 31)),
    ("How many stations opened between 1991 and 1995?", D(1991, 1, 1), D(1995, 12, 31)),
    # numbers and words that are no dates
    ("Сколько голов пропустил вратарь?", None, None),
    ("How many goals did the home side concede?", None, None),
    ("What happened in 214 games?", None, None),
    ("Who won Rally 50?", None, None),
    ("How many people live in 2 cities?", None, None),
    ("How many people live in 2000 cities?", None, None),
    ("Сколько человек живёт в 2000 городах?", None, None),
    ("Цены от 1000 до 2000 рублей", None, None),
    ("May I ask who won the second round?", None, None),
    ("Who led the march on Washington?", None, None),
    ("Что сказала Марта о переговорах?", None, None),
    ("What happened at 5 pm on the second floor?", None, None),
    ("Что было в 15:00?", None, None),
    ("Сколько стоит 300 г сыра?", None, None),
    ("Что было 31 февраля?", None, None),  # no such day, and not all of February either
    ("Какие новые правила действуют теперь для таксистов?", None, None),
    ("Which old tower still stands by the harbour even today?", None, None),
]


@pytest.mark.parametrize(("question", "since", "until"), RANGES)
def test_question_dates(question: str, since: date | None, until: date | None) -> None:
    intent = parse_question_dates(question, today=TODAY)
    if since is None and until is None:
        assert intent.range is None, intent.matched
        assert intent.matched is None
    else:
        assert intent.range == DateRange(since, until)
        assert intent.matched and intent.matched.split("; ")[0] in question


@pytest.mark.parametrize(
    ("question", "matched"),
    [
        ("Что было в 2025 году?", "в 2025 году"),
        ("Что писали в январе 2026 о переговорах?", "январе 2026"),
        ("Что было с 1 по 5 января?", "с 1 по 5 января"),
        ("What happened in the last 3 days?", "in the last 3 days"),
    ],
)
def test_matched_is_the_text_that_gave_the_range(question: str, matched: str) -> None:
    assert parse_question_dates(question, today=TODAY).matched == matched


@pytest.mark.parametrize(
    ("question", "recent"),
    [
        ("Кто сейчас возглавляет правительство?", True),
        ("Какой текущий курс рубля?", True),
        ("Последние новости о переговорах", True),
        ("Who is the current CEO of Yandex?", True),
        ("What is the latest on the talks?", True),
        ("Who is currently the prime minister?", True),
        ("Who runs the company now?", True),
        ("What is the most recent report?", True),
        ("What do people eat these days?", True),
        ("Which old tower still stands by the harbour even today?", True),
        ("Что было в 2025 году?", False),
        ("Сколько голов пропустил вратарь?", False),
        ("The district now known as Old Quay was settled by whom?", False),
        ("Who won Rally 50?", False),
    ],
)
def test_prefer_recent(question: str, recent: bool) -> None:
    assert parse_question_dates(question, today=TODAY).prefer_recent is recent


def test_recent_and_range_together() -> None:
    intent = parse_question_dates("Последние новости за прошлую неделю", today=TODAY)
    assert intent.prefer_recent
    assert intent.range == DateRange(D(2025, 12, 29), D(2026, 1, 4))


def test_several_expressions_give_the_range_covering_them() -> None:
    intent = parse_question_dates("Сравни январь 2025 и январь 2026", today=TODAY)
    assert intent.range == DateRange(D(2025, 1, 1), D(2026, 1, 31))
    assert intent.matched == "январь 2025; январь 2026"


def test_date_range_contains() -> None:
    assert D(2026, 1, 6) in DateRange(D(2026, 1, 1), D(2026, 1, 31))
    assert D(2026, 2, 1) not in DateRange(D(2026, 1, 1), D(2026, 1, 31))
    assert D(1999, 1, 1) in DateRange(None, D(2026, 1, 31))


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        ("2026-01-06", False, D(2026, 1, 6)),
        ("06.01.2026", False, D(2026, 1, 6)),
        ("6 января 2026", False, D(2026, 1, 6)),
        ("January 2026", False, D(2026, 1, 1)),
        ("January 2026", True, D(2026, 1, 31)),
        ("в феврале 2024", True, D(2024, 2, 29)),
        ("2025", False, D(2025, 1, 1)),
        ("2025", True, D(2025, 12, 31)),
        ("yesterday", False, D(2026, 1, 9)),
        ("вчера", True, D(2026, 1, 9)),
        ("last week", False, D(2025, 12, 29)),
        ("last week", True, D(2026, 1, 4)),
        ("2 weeks ago", False, D(2025, 12, 27)),
    ],
)
def test_parse_date_arg(value: str, end: bool, expected: date) -> None:
    assert parse_date_arg(value, today=TODAY, end=end) == expected


@pytest.mark.parametrize("value", ["", "   ", "foo", "50", "2026-13-45", "когда-нибудь"])
def test_parse_date_arg_rejects_with_a_clear_message(value: str) -> None:
    with pytest.raises(ValueError, match=r"YYYY-MM-DD"):
        parse_date_arg(value, today=TODAY)


# -- properties: whatever a person types ------------------------------------------------------------

_MONTH_WORDS = ["января", "январе", "мая", "марта", "декабрь", "January", "may", "March", "Dec", "сент."]
_WORDS = ["в", "с", "по", "до", "после", "since", "until", "between", "and", "года", "году", "г.", "гг.",
          "-х", "s", "last", "past", "за последние", "назад", "ago", "дня", "недели", "лет", "years",
          "вчера", "today", "this week", "на прошлой неделе", "сейчас", "–", "-", ".", ",", "?"]  # fmt: skip


_FORMS = ["%Y-%m-%d", "%d.%m.%Y", "%d %B %Y", "%B %Y", "%b %d, %Y", "%Y"]
"""How a day of the whole calendar (0001-01-01 to 9999-12-31) is written."""


def _number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(0, 10**12).map(str), st.integers(0, 9999).map(lambda n: f"{n:04d}"), st.just("0")
    )


def _calendar_text() -> st.SearchStrategy[str]:
    """Text made of the pieces dates are written with: numbers of any size, month names, prepositions,
    ISO and dotted shapes with any fields, and anything else."""
    iso = st.builds(lambda y, m, d: f"{y}-{m}-{d}", _number(), _number(), _number())
    dotted = st.builds(lambda d, m, y: f"{d}.{m}.{y}", _number(), _number(), _number())
    written = _written_date()
    piece = st.one_of(
        _number(),
        iso,
        dotted,
        written,
        st.sampled_from(_MONTH_WORDS),
        st.sampled_from(_WORDS),
        st.text(max_size=8),
    )
    return st.lists(piece, max_size=12).map(" ".join)


def _written_date() -> st.SearchStrategy[str]:
    return st.builds(lambda day, form: day.strftime(form), st.dates(), st.sampled_from(_FORMS))


_TODAY = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(question=st.one_of(_calendar_text(), st.text(max_size=80)), today=_TODAY)
@settings(max_examples=300, deadline=None)
def test_any_question_gives_a_date_intent_within_the_calendar(question: str, today: date) -> None:
    intent = parse_question_dates(question, today=today)
    if intent.range is not None:
        since, until = intent.range.since, intent.range.until
        assert since is not None or until is not None
        assert since is None or until is None or since <= until
        assert intent.matched
    for start, end in date_spans(question, today=today):
        assert 0 <= start < end <= len(question)


@given(
    value=st.one_of(_calendar_text(), _written_date(), st.text(max_size=40)), today=_TODAY, end=st.booleans()
)
@settings(max_examples=300, deadline=None)
def test_any_typed_date_is_a_day_of_the_calendar_or_a_clear_error(value: str, today: date, end: bool) -> None:
    try:
        day = parse_date_arg(value, today=today, end=end)
    except DateOutOfRange as exc:
        assert str(exc).endswith(" is out of range (1800-01-01 to 2999-12-31)")
        return
    except ValueError as exc:
        assert "date" in str(exc) and "\n" not in str(exc)
        return
    assert day in CALENDAR
