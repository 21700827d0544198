"""Top-scoring indices without sorting everything."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np


def best_first(scores: np.ndarray[Any, np.dtype[np.floating[Any]]], first: int) -> Iterator[int]:
    """Indices of positive scores, highest first: the top ``first`` are found with a partial sort, the
    rest are sorted only if a caller reads past them."""
    hits = np.flatnonzero(scores > 0)
    if len(hits) > first:
        top = np.argpartition(-scores[hits], first - 1)[:first]
        head = np.sort(hits[top])
        yield from (int(i) for i in head[np.argsort(-scores[head], kind="stable")])
        hits = np.setdiff1d(hits, head, assume_unique=True)
    yield from (int(i) for i in hits[np.argsort(-scores[hits], kind="stable")])


def top_keys(
    keys: Sequence[str],
    scores: np.ndarray[Any, np.dtype[np.floating[Any]]],
    k: int,
    allowed: Callable[[str], bool] | None = None,
) -> list[tuple[str, float]]:
    """The ``k`` best ``(key, score)`` pairs, best first, positive scores only. ``allowed`` (a date or
    source filter, say) is asked in score order until ``k`` keys pass or no scored key is left."""
    results: list[tuple[str, float]] = []
    if k <= 0:
        return results
    for i in best_first(scores, k if allowed is None else 4 * k):
        key = keys[i]
        if allowed is None or allowed(key):
            results.append((key, float(scores[i])))
            if len(results) == k:
                break
    return results
