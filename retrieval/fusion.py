"""Combining rankings: reciprocal rank fusion of dense and lexical results, and a cap per article.

Pure functions over keys and :class:`~retrieval.records.Passage` records; nothing here searches.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.records import Passage


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], *, k: int = 60, weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """Fuse rankings (keys, best first) into one: ``score(key) = sum(weight / (k + rank))``, rank from 1.

    A key missing from a ranking gets nothing from it; a key repeated within one ranking counts once, at
    its best rank. Ties go to the key seen at the better rank (the earlier ranking at equal ranks), so
    the result does not depend on set or dict ordering.
    """
    if k < 0:
        raise ValueError(f"reciprocal_rank_fusion: k must not be negative, got {k}")
    if weights is None:
        weights = [1.0] * len(rankings)
    elif len(weights) != len(rankings):
        raise ValueError(f"reciprocal_rank_fusion: {len(weights)} weights given for {len(rankings)} rankings")
    elif any(weight < 0 for weight in weights):
        raise ValueError("reciprocal_rank_fusion: weights must not be negative")
    scores: dict[str, float] = {}
    first_seen: dict[str, tuple[int, int]] = {}
    for which, (ranking, weight) in enumerate(zip(rankings, weights, strict=True)):
        counted: set[str] = set()
        for rank, key in enumerate(ranking, start=1):
            if key in counted:
                continue
            counted.add(key)
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
            first_seen[key] = min(first_seen.get(key, (rank, which)), (rank, which))
    return sorted(scores.items(), key=lambda item: (-item[1], first_seen[item[0]]))


def limit_per_article(passages: Sequence[Passage], per_article: int) -> list[Passage]:
    """The passages in their order, keeping at most ``per_article`` of each article (the first ones)."""
    if per_article < 1:
        raise ValueError(f"limit_per_article: per_article must be at least 1, got {per_article}")
    kept: list[Passage] = []
    counts: dict[str, int] = {}
    for passage in passages:
        seen = counts.get(passage.article_id, 0)
        if seen < per_article:
            counts[passage.article_id] = seen + 1
            kept.append(passage)
    return kept
