"""Feed dates as publishers get them wrong: a date that cannot be right (year 1, year 9999, a zone no place
has, no date at all) is reported with the entry and the date as written, and the entry kept undated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.feeds.entries import parse_feed
from ingest.feeds.poll import FeedPoller
from ingest.feeds.registry import FeedRegistry
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from retrieval.store.chunks import ChunkStore
from tests.emulators.feed_server import FeedServer

URL = "https://example.org/rss.xml"


def rss(*dates: str) -> str:
    items = "".join(
        f"<item><title>Новость {n}</title><guid isPermaLink='false'>e{n}</guid><pubDate>{escape(d)}</pubDate>"
        f"<description>Текст новости {n}.</description></item>"
        for n, d in enumerate(dates, 1)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Лента</title>{items}</channel></rss>'


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Sat, 27 Dec 2025 10:00:00 +0300", "2025-12-27"),
        ("Sat, 27 Dec 2025 01:00:00 +0300", "2025-12-26"),  # in UTC
        ("Sat, 27 Dec 2025 10:00:00 +1400", "2025-12-26"),  # Kiribati: the widest zone there is
        ("Sat, 27 Dec 25 10:00:00 GMT", "2025-12-27"),  # RFC 822's two-digit year
        ("2025-12-27T10:00:00Z", "2025-12-27"),
        ("Wed, 01 Jan 1800 00:00:00 GMT", "1800-01-01"),
    ],
)
def test_a_plausible_date_is_the_entrys_date(written: str, expected: str) -> None:
    parsed = parse_feed(rss(written).encode(), URL, "application/rss+xml")
    assert [e.published for e in parsed.entries] == [expected]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("Mon, 01 Jan 0001 00:00:00 GMT", "is before 1800"),  # was 2001-01-01
        ("01 Jan 0001", "is before 1800"),
        ("Sat, 27 Dec 1799 10:00:00 GMT", "is before 1800"),
        ("Thu, 01 Jan 1970 00:00:00 +9999", "has a time zone no place has (+9999)"),  # was 1969-12-27
        ("Sat, 27 Dec 2025 10:00:00 -1500", "has a time zone no place has (-1500)"),
        ("Sat, 27 Dec 2025 10:00:00 +0075", "has a time zone no place has (+0075)"),
        ("2025-12-27T10:00:00+99:99", "has a time zone no place has (+99:99)"),
        ("Fri, 31 Dec 9999 23:59:59 GMT", "is in the future"),
        ("Sat, 27 Dec 2025 25:00:00 GMT", "cannot be read"),
        ("вчера вечером", "cannot be read"),
    ],
)
def test_an_implausible_date_is_reported_and_the_entry_kept_undated(written: str, why: str) -> None:
    parsed = parse_feed(rss("Sat, 27 Dec 2025 10:00:00 GMT", written).encode(), URL, "application/rss+xml")

    assert [(e.id, e.published) for e in parsed.entries] == [("e1", "2025-12-27"), ("e2", None)]
    assert parsed.warnings == [f"{URL}: entry 2 (e2): date {written!r} {why}; kept undated"]


@pytest.fixture
def web() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def test_a_polled_entry_dated_year_one_is_ingested_undated_with_a_warning(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    web.feed("/rss.xml", rss("Sat, 27 Dec 2025 10:00:00 GMT", "Mon, 01 Jan 0001 00:00:00 GMT"))
    settings = load_settings(data_dir=tmp_path / "data", feeds_allow_private=True, feed_host_delay=0)
    store = ChunkStore.open(None, settings.data_dir / "chroma", settings.collection)
    FeedRegistry(store).add(web.url("/rss.xml"))

    [outcome] = FeedPoller(store, e5, settings).poll().outcomes

    assert (outcome.added, outcome.error) == (2, None)
    assert outcome.warnings == [
        f"{web.url('/rss.xml')}: entry 2 (e2): date 'Mon, 01 Jan 0001 00:00:00 GMT' is before 1800; "
        "kept undated"
    ]
    articles = store.articles()
    assert (articles["e1"].date, articles["e2"].date) == (date(2025, 12, 27), None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40))
def test_any_date_text_gives_a_plausible_date_or_a_warning(written: str) -> None:
    parsed = parse_feed(rss(written).encode(), URL, "application/rss+xml")
    [entry] = parsed.entries
    if entry.published is not None:
        assert "1800-01-01" <= entry.published <= "2100-01-01"
        assert len(entry.published) == 10
    elif written.strip():
        assert any("kept undated" in w for w in parsed.warnings)
