"""Filters typed into questions and searches: since:, until:, source: (and their Russian twins)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.query_syntax import FilterError, Query, parse_query, resolve_filters
from retrieval.records import SearchFilters
from retrieval.store.shapes import where

TODAY = date(2026, 1, 20)
KNOWN = ("Example Wire", "Пример-Новости", "Спорт-Пример", "Экономика-Пример")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ставка ЦБ", Query("ставка ЦБ")),
        ("ставка ЦБ since:2025-12-01", Query("ставка ЦБ", since="2025-12-01")),
        ("until:31.12.2025 ставка", Query("ставка", until="31.12.2025")),
        (
            'rates source:"Example Wire" since:"January 2026"',
            Query("rates", "January 2026", None, ("Example Wire",)),
        ),
        (
            "морозы источник:«Пример-Новости» от:вчера до:сегодня",
            Query("морозы", "вчера", "сегодня", ("Пример-Новости",)),
        ),
        ("a source:Спорт source:экономика", Query("a", sources=("Спорт", "экономика"))),
        ("SINCE: 2026-01-01 hockey", Query("hockey", since="2026-01-01")),
        ("email me at news@since:x.org", Query("email me at news@since:x.org")),
    ],
)
def test_parse_query(raw: str, expected: Query) -> None:
    assert parse_query(raw) == expected


def test_filters_resolve_dates_and_outlets() -> None:
    query = parse_query("x since:2025-12 until:январь source:экономика source:Example")
    assert resolve_filters(query, KNOWN, TODAY) == SearchFilters(
        since=date(2025, 12, 1), until=date(2026, 1, 31), sources=("Экономика-Пример", "Example Wire")
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("x since:когда-нибудь", "«когда-нибудь» is not a date I understand"),
        ("x since:2026-02-01 until:2026-01-01", "since:2026-02-01 is after until:2026-01-01"),
        (
            "x source:Известия",
            "No outlet called «Известия» in the archive. Outlets: Example Wire, Пример-Новости",
        ),
    ],
)
def test_filter_mistakes_are_explained(raw: str, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        resolve_filters(parse_query(raw), KNOWN, TODAY)


# -- properties: whatever a person types ------------------------------------------------------------

_KEYS = ["since", "until", "source", "от", "до", "источник", "SINCE", "Until", "ОТ"]
_VALUES = ["2026-01-06", "06.01.2026", "January 2026", "вчера", "last week", "9999-12-31", "0001-01-01",
           "31.12.9999", "December 9999", "2999-12-31", "1800-01-01", "1799-12-31", "10000-01-01",
           "Example", "пример", "", " ", "«", "\"", "2026-02-30", "0", "-1"]  # fmt: skip


def _filter() -> st.SearchStrategy[str]:
    value = st.one_of(st.sampled_from(_VALUES), st.text(max_size=12), st.dates().map(date.isoformat))
    quoted = st.one_of(value, value.map(lambda v: f'"{v}"'), value.map(lambda v: f"«{v}»"))
    return st.builds(
        lambda k, sep, v: f"{k}:{sep}{v}", st.sampled_from(_KEYS), st.sampled_from(["", " "]), quoted
    )


def _typed() -> st.SearchStrategy[str]:
    """A question or a search with filters in it, or any text at all."""
    words = st.one_of(st.sampled_from(["ставка", "ЦБ", "Уиткофф", "rates", "в", "and"]), st.text(max_size=10))
    return st.one_of(st.lists(st.one_of(words, _filter()), max_size=8).map(" ".join), st.text(max_size=60))


@given(raw=_typed(), today=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
@settings(max_examples=300, deadline=None)
@example(raw='since:"0\n0"', today=date(2026, 1, 6))  # a quoted value over two lines (hypothesis found it)
def test_any_typed_query_gives_filters_within_the_calendar_or_a_clear_error(raw: str, today: date) -> None:
    query = parse_query(raw)
    assert query.text == " ".join(query.text.split())
    assert all(query.sources)
    try:
        filters = resolve_filters(query, KNOWN, today)
    except FilterError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for day in (filters.since, filters.until):
        assert day is None or date(1800, 1, 1) <= day <= date(2999, 12, 31)
    assert filters.since is None or filters.until is None or filters.since <= filters.until
    assert set(filters.sources) <= set(KNOWN)
    # the store's filter for them, over an archive dated anywhere on the calendar, is built
    assert where(filters, date.min, date.max) is not None or filters.empty


def test_who_names_whom_the_articles_must_name_in_english_or_russian() -> None:
    assert parse_query("санкции кто:Путин") == Query("санкции", who="Путин")
    asked = parse_query('who:"Boris  Johnson" Brexit since:2019')
    assert asked == Query("Brexit", since="2019", who="Boris Johnson") and asked.has_filters
    assert resolve_filters(asked, KNOWN, date(2026, 1, 6)).who == "Boris Johnson"
    assert parse_query('"Белый дом" -Китай').text == '"Белый дом" -Китай'  # operators stay for search


def test_a_query_kept_before_who_existed_loads_without_one() -> None:
    kept = Query("санкции", "2025-01-01", None, ())
    state = [kept.text, kept.since, kept.until, kept.sources]  # what the bot's state held before
    loaded = Query.__new__(Query)
    loaded.__setstate__(state)
    assert loaded == Query("санкции", since="2025-01-01") and loaded.who == ""
