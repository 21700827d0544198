"""Article dates: the common shapes read, what is not a calendar date or no article carries refused."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.loaders import parse_article_date
from ingest.loaders.dates import ImplausibleDate


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-06", date(2026, 1, 6)),
        ("2008-11-21 15:19:14", date(2008, 11, 21)),
        ("2026-01-06T23:30:00-05:00", date(2026, 1, 6)),
        ("2026-01-06T10:00:00Z", date(2026, 1, 6)),
        ("05/08/2008 10:35", date(2008, 8, 5)),
        ("05/08/2008", date(2008, 8, 5)),
        ("06.01.2026", date(2026, 1, 6)),
        ("Tue, 06 Jan 2026 10:00:00 +0300", date(2026, 1, 6)),
        ("6 января 2026", date(2026, 1, 6)),
        ("6 января 2026 г., 14:05", date(2026, 1, 6)),
        ("January 6, 2026", date(2026, 1, 6)),
        ("  ", None),
    ],
)
def test_parse_article_date_understands_common_shapes(value: str, expected: date | None) -> None:
    assert parse_article_date(value) == expected


@pytest.mark.parametrize("value", ["xyz", "вчера", "yesterday", "31/02/2026", "январь 2026"])
def test_parse_article_date_refuses_what_is_not_a_calendar_date(value: str) -> None:
    with pytest.raises(ValueError, match="not understood"):
        parse_article_date(value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9999-12-31", "is later than 2026-01-07, a day after the day of ingestion"),
        ("2026-01-08", "is later than 2026-01-07, a day after the day of ingestion"),
        ("01.01.0001", "is before 1800-01-01"),
        ("31.12.1799", "is before 1800-01-01"),
    ],
)
def test_parse_article_date_refuses_a_date_no_article_carries(value: str, reason: str) -> None:
    with pytest.raises(ImplausibleDate) as refused:
        parse_article_date(value, today=date(2026, 1, 6))
    assert str(refused.value) == reason
    assert parse_article_date("2026-01-07", today=date(2026, 1, 6)) == date(2026, 1, 7)  # a zone ahead
    assert parse_article_date("1800-01-01", today=date(2026, 1, 6)) == date(1800, 1, 1)
