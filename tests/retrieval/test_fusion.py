"""Rank fusion and the per-article cap: exact scores on small rankings, order kept."""

from __future__ import annotations

import pytest

from retrieval.fusion import limit_per_article, reciprocal_rank_fusion
from retrieval.records import Chunk, Passage


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a"]], k=60)
    assert [key for key, _ in fused] == ["a", "c", "b"]
    scores = dict(fused)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert scores["c"] == pytest.approx(1 / 63 + 1 / 61)
    assert scores["b"] == pytest.approx(1 / 62)


def test_rrf_small_k_rewards_the_top_rank() -> None:
    # k=0: 1/rank. "x" and "z" are first in one list each, "y" second in both: 1.0 each, and the
    # tie goes to the better rank.
    assert reciprocal_rank_fusion([["x", "y"], ["z", "y"]], k=0) == [("x", 1.0), ("z", 1.0), ("y", 1.0)]
    assert dict(reciprocal_rank_fusion([["x", "y"], ["y"]], k=0)) == {"x": 1.0, "y": 1.5}


def test_rrf_weights() -> None:
    rankings = [["dense-top", "shared"], ["lexical-top", "shared"]]
    fused = reciprocal_rank_fusion(rankings, k=1, weights=[1.0, 3.0])
    assert fused[0][0] == "lexical-top"
    assert fused[0][1] == pytest.approx(3 / 2)
    assert dict(fused)["shared"] == pytest.approx(1 / 3 + 3 / 3)
    assert dict(fused)["dense-top"] == pytest.approx(1 / 2)


def test_rrf_ties_go_to_the_better_rank_then_the_earlier_ranking() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a", "d"]])
    assert [key for key, _ in fused] == ["a", "b", "c", "d"]
    assert fused[0][1] == fused[1][1]


def test_rrf_counts_a_repeated_key_once_at_its_best_rank() -> None:
    assert reciprocal_rank_fusion([["a", "b", "a"]], k=0) == [("a", 1.0), ("b", 0.5)]


def test_rrf_empty() -> None:
    assert reciprocal_rank_fusion([]) == []
    assert reciprocal_rank_fusion([[], []]) == []


def test_rrf_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="2 weights given for 1 rankings"):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="k must not be negative"):
        reciprocal_rank_fusion([["a"]], k=-1)
    with pytest.raises(ValueError, match="weights must not be negative"):
        reciprocal_rank_fusion([["a"]], weights=[-1.0])


def passage(article_id: str, index: int, score: float) -> Passage:
    text = f"{article_id} part {index}"
    chunk = Chunk(article_id=article_id, index=index, text=text, start=0, end=len(text), title=article_id)
    return Passage(chunk=chunk, score=score)


def test_limit_per_article_keeps_order_and_the_first_passages_of_each_article() -> None:
    passages = [
        passage("a", 0, 0.9),
        passage("b", 3, 0.8),
        passage("a", 2, 0.7),
        passage("a", 1, 0.6),
        passage("c", 0, 0.5),
        passage("b", 1, 0.4),
        passage("b", 0, 0.3),
    ]
    kept = limit_per_article(passages, 2)
    assert [(p.article_id, p.chunk.index) for p in kept] == [("a", 0), ("b", 3), ("a", 2), ("c", 0), ("b", 1)]
    assert [(p.article_id, p.chunk.index) for p in limit_per_article(passages, 1)] == [
        ("a", 0),
        ("b", 3),
        ("c", 0),
    ]
    assert limit_per_article(passages, 10) == passages
    assert limit_per_article([], 2) == []


def test_limit_per_article_rejects_zero() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        limit_per_article([passage("a", 0, 1.0)], 0)
