"""Which outlets were active around a story: the archive's figures (dated articles per outlet and day) and
the read that an archive ingested before those figures gets instead (:mod:`retrieval.search.pickup`)
name the same outlets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from retrieval.records import day_number
from retrieval.store.chunks import ChunkStore


def test_the_read_for_older_archives_names_the_outlets_the_figures_count(sample_store: Path) -> None:
    store = ChunkStore.open(None, sample_store / "chroma", "news")
    stats = store.archive_stats()
    assert stats.article_days is not None
    since, until = date(2026, 1, 8), date(2026, 1, 12)
    counted = [
        o
        for o in stats.outlets
        if any(day_number(since) <= d <= day_number(until) for d in stats.article_days.get(o, {}))
    ]
    assert {"Пример-Новости", "Спорт-Пример"} <= set(counted)  # the metro on the 12th, the hockey on the 9th
    assert "Культура-Пример" not in counted  # the library on the 15th only
    assert store.outlets_active(since, until, stats.outlets) == counted
    assert store.outlets_active(date(2026, 1, 16), date(2026, 1, 31), stats.outlets) == []
