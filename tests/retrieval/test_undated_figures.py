"""The archive's count of undated articles per outlet: kept by deltas, read back from the stored record,
and unknown (not zero) for figures written before the count existed, so that a date filter then says
that undated articles were left out without making up how many."""

from __future__ import annotations

from datetime import date

import numpy as np

from bot.present.report import left_out_note
from retrieval.records import Chunk, SearchFilters
from retrieval.search.filters import undated_left_out
from retrieval.store.statistics import ArchiveStats, StatsDelta


def chunks(article_id: str, source: str | None, day: date | None, n: int) -> list[Chunk]:
    return [Chunk(article_id, i, f"текст {i}", 0, 7, "заголовок", day, None, source) for i in range(n)]


def delta_of(*articles: list[Chunk], sign: int = 1) -> StatsDelta:
    delta = StatsDelta()
    every = [c for a in articles for c in a]
    delta.add(every, np.ones((len(every), 2), dtype=np.float32), sign=sign, articles=len(articles))
    return delta


DATED = SearchFilters(since=date(2026, 1, 1))


def test_undated_articles_are_counted_once_per_article_by_outlet_and_leave_with_them() -> None:
    long_undated = chunks("a", "Wire", None, 3)
    delta = delta_of(long_undated, chunks("b", None, None, 2), chunks("c", "Wire", date(2026, 1, 5), 2))
    stats = ArchiveStats.from_metadata(ArchiveStats().applied(delta).to_metadata())
    assert stats.undated == {"": 1, "Wire": 1}
    assert undated_left_out(DATED, stats) == 2
    assert undated_left_out(SearchFilters(until=date(2026, 2, 1), sources=("Wire",)), stats) == 1
    assert undated_left_out(SearchFilters(sources=("Wire",)), stats) == 0  # no date filter
    assert undated_left_out(None, stats) == 0
    after = stats.applied(delta_of(long_undated, sign=-1))
    assert after.undated == {"": 1} and undated_left_out(DATED, after) == 1


def test_figures_written_before_the_count_say_it_is_unknown_until_a_rebuild() -> None:
    old = ArchiveStats().applied(delta_of(chunks("a", None, None, 1))).to_metadata()
    del old["undated"]
    stats = ArchiveStats.from_metadata(old)
    assert stats.undated is None and undated_left_out(DATED, stats) is None
    grown = stats.applied(delta_of(chunks("b", None, None, 1)))
    assert grown.undated is None and "undated" not in grown.to_metadata()
    assert left_out_note(None, "en") == "articles without a date are left out by the date filter"
    assert left_out_note(0, "ru") == ""
    assert ArchiveStats.from_metadata(None).undated == {}  # a new archive counts from its first article
