"""The sparse latent-term index: exact dot products, best first, filters, cosines."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.records import SparseVector
from retrieval.sparse_index import SparseIndex


def vec(pairs: dict[int, float]) -> SparseVector:
    return SparseVector(np.array(list(pairs), np.int32), np.array(list(pairs.values()), np.float32))


ITEMS = [
    ("a", vec({0: 1.0, 3: 2.0})),
    ("b", vec({3: 1.0})),
    ("c", vec({5: 4.0})),
    ("d", vec({0: 0.5, 5: 1.0})),
]


def test_scores_are_exact_dot_products_in_build_order() -> None:
    index = SparseIndex.build(ITEMS, 8)
    query = vec({0: 2.0, 3: 1.0, 7: 9.0})
    assert index.scores(query).tolist() == pytest.approx([4.0, 1.0, 0.0, 1.0])


def test_top_is_best_first_positive_only_and_filtered() -> None:
    index = SparseIndex.build(ITEMS, 8)
    scores = index.scores(vec({0: 2.0, 3: 1.0}))
    assert [k for k, _ in index.top(scores, 10)] == ["a", "b", "d"]
    assert [k for k, _ in index.top(scores, 1)] == ["a"]
    assert [k for k, _ in index.top(scores, 10, lambda key: key != "a")] == ["b", "d"]


def test_cosines() -> None:
    index = SparseIndex.build(ITEMS, 8)
    query = vec({5: 3.0})
    rows = np.array([2, 3])
    cos = index.as_cosines(rows, index.scores(query)[rows], query)
    assert cos.tolist() == pytest.approx([1.0, 1.0 / np.sqrt(1.25)])


def test_an_empty_index_finds_nothing() -> None:
    index = SparseIndex.build([], 8)
    assert index.top(index.scores(vec({1: 1.0})), 5) == []
