"""Filters typed into questions and searches: since:, until:, source: (and their Russian twins)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.query_syntax import FilterError, Query, parse_query, resolve_filters
from retrieval.records import SearchFilters

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
