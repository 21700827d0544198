"""Passages: the paragraph around the matching chunk, bounded, with context, never overlapping."""

from __future__ import annotations

import numpy as np

from retrieval.records import Chunk
from retrieval.search.figures import background_z
from retrieval.search.passages import outside, paragraph, passage
from retrieval.store.statistics import Moments

# Paragraph one: chunks 0-1 (one space apart); two: chunk 2 alone; three: chunks 3-8, 300 chars each.
SPANS = [(0, 300), (301, 600), (602, 700)] + [(702 + 301 * i, 702 + 301 * i + 300) for i in range(6)]
CHUNKS = [Chunk("a", i, chr(ord("a") + i) * (e - s), s, e, "t") for i, (s, e) in enumerate(SPANS)]


def lookup(index: int) -> Chunk | None:
    return CHUNKS[index] if 0 <= index < len(CHUNKS) else None


def test_a_passage_is_the_whole_paragraph_when_it_fits() -> None:
    assert paragraph(CHUNKS[0], lookup, 1500, 500) == (0, 1)
    assert paragraph(CHUNKS[1], lookup, 1500, 500) == (0, 1)


def test_a_long_paragraph_gives_the_part_around_the_match_within_the_limit() -> None:
    first, last = paragraph(CHUNKS[5], lookup, 1000, 0)
    assert CHUNKS[last].end - CHUNKS[first].start <= 1000
    assert (first, last) == (4, 6)


def test_a_short_paragraph_gets_a_chunk_of_context_on_each_side() -> None:
    assert paragraph(CHUNKS[2], lookup, 1500, 500) == (1, 3)
    assert paragraph(CHUNKS[2], lookup, 1500, 0) == (2, 2)


def test_a_paragraph_stops_where_the_fetched_neighbours_end() -> None:
    def only_near(index: int) -> Chunk | None:
        return lookup(index) if 4 <= index <= 6 else None

    assert paragraph(CHUNKS[5], only_near, 1500, 0) == (4, 6)


def test_passages_of_one_article_never_share_a_chunk() -> None:
    taken = [(3, 5)]
    assert outside(1, 4, 2, taken) == (1, 2)  # cut back before the passage taken
    assert outside(4, 8, 6, taken) == (6, 8)  # and after it
    assert outside(2, 8, 6, taken) == (6, 8)  # a span around a taken one keeps the focus's side
    assert outside(3, 5, 4, taken) is None  # the focus itself is shown already


def test_a_passage_joins_its_chunks_with_paragraph_breaks_and_marks_the_focus() -> None:
    p = passage(CHUNKS[2], 1, 3, lookup, 1.5)
    assert p.chunk.text == CHUNKS[1].text + "\n\n" + CHUNKS[2].text + "\n\n" + CHUNKS[3].text
    assert p.focus is not None and p.chunk.text[p.focus[0] : p.focus[1]] == CHUNKS[2].text
    assert (p.chunk.start, p.chunk.end, p.score) == (301, 1002, 1.5)


def test_background_z_from_stored_moments_equals_the_direct_computation() -> None:
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    moments = Moments.of(vectors[:200]) + Moments.of(vectors[200:])
    removed = Moments.of(vectors[250:], sign=-1)  # counted out again, as a pruned article is
    mean, cov = Moments.decode((moments + removed).encode()).mean_and_covariance()
    query = rng.normal(size=16).astype(np.float32)
    sims = vectors[:250] @ query
    expected = (3.0 - sims.mean()) / sims.std()
    assert abs(background_z(mean, cov, query, 3.0) - expected) < 1e-3
    assert background_z(np.zeros(0), np.zeros((0, 0)), query, 3.0) == 0.0
