"""Passages: the paragraph around the matching chunk, bounded, with context for short paragraphs."""

from __future__ import annotations

import numpy as np

from retrieval.archive_index import ArchiveSnapshot
from retrieval.records import Chunk
from retrieval.search.searcher import _paragraph


def snapshot(spans: list[tuple[int, int]]) -> ArchiveSnapshot:
    """One article whose chunks cover ``spans`` of its text."""
    snap = ArchiveSnapshot(generation=1)
    snap.chunks = [
        Chunk("a", i, "x" * (e - s), s, e, "t", None, None, None) for i, (s, e) in enumerate(spans)
    ]
    n = len(spans)
    snap.prev = np.array([i - 1 for i in range(n)], dtype=np.int64)
    snap.next = np.array([i + 1 if i + 1 < n else -1 for i in range(n)], dtype=np.int64)
    return snap


# Paragraph one: chunks 0-1 (one space apart); two: chunk 2 alone; three: chunks 3-8, 300 chars each.
SPANS = [(0, 300), (301, 600), (602, 700)] + [(702 + 301 * i, 702 + 301 * i + 300) for i in range(6)]


def test_a_passage_is_the_whole_paragraph_when_it_fits() -> None:
    snap = snapshot(SPANS)
    assert _paragraph(snap, 0, 1500, 500) == (0, 1)
    assert _paragraph(snap, 1, 1500, 500) == (0, 1)


def test_a_long_paragraph_gives_the_part_around_the_match_within_the_limit() -> None:
    snap = snapshot(SPANS)
    first, last = _paragraph(snap, 5, 1000, 0)
    assert first <= 5 <= last and first >= 3
    assert snap.chunks[last].end - snap.chunks[first].start <= 1000
    assert (first, last) == (4, 6)


def test_a_short_paragraph_gets_a_chunk_of_context_on_each_side() -> None:
    snap = snapshot(SPANS)
    assert _paragraph(snap, 2, 1500, 500) == (1, 3)
    assert _paragraph(snap, 2, 1500, 0) == (2, 2)


def test_background_z_equals_the_direct_computation_over_the_sample() -> None:
    rng = np.random.default_rng(1)
    sample = rng.normal(size=(300, 16)).astype(np.float32)
    snap = ArchiveSnapshot(generation=1)
    snap.background_mean = sample.astype(np.float64).mean(axis=0).astype(np.float32)
    snap.background_cov = np.cov(sample.astype(np.float64), rowvar=False, bias=True).astype(np.float32)
    query = rng.normal(size=16).astype(np.float32)
    sims = sample @ query
    expected = (3.0 - sims.mean()) / sims.std()
    assert abs(snap.background_z(query, 3.0) - expected) < 1e-3
    assert ArchiveSnapshot().background_z(query, 3.0) == 0.0
