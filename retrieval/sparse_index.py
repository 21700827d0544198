"""An in-memory inverted index of sparse latent-term vectors (dot-product scoring).

Stored column-wise (CSC), so a query touches only the postings of its own non-zero features: the cost
grows with those postings, not with the size of the archive.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from retrieval.records import SparseVector
from retrieval.topk import top_keys


class SparseIndex:
    def __init__(self, keys: Sequence[str], matrix: sp.csc_matrix | None) -> None:
        self._keys = list(keys)
        self._matrix = matrix
        self._norms = (
            np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1), dtype=np.float32).ravel())
            if matrix is not None
            else np.zeros(len(self._keys), dtype=np.float32)
        )

    @classmethod
    def build(cls, items: Sequence[tuple[str, SparseVector]], dim: int) -> SparseIndex:
        """Index ``(key, vector)`` pairs; an empty list or ``dim == 0`` gives an index that finds nothing."""
        if not items or dim <= 0:
            return cls([], None)
        indptr = np.zeros(len(items) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(v.indices) for _, v in items])
        indices = np.concatenate([v.indices for _, v in items]).astype(np.int32)
        values = np.concatenate([v.values for _, v in items]).astype(np.float32)
        rows = sp.csr_matrix((values, indices, indptr), shape=(len(items), dim))
        return cls([k for k, _ in items], rows.tocsc())

    def __len__(self) -> int:
        return len(self._keys)

    def scores(self, query: SparseVector) -> np.ndarray:
        """Dot products of every item with ``query``, in build order (zeros when the index is empty)."""
        if self._matrix is None or not len(query.indices):
            return np.zeros(len(self._keys), dtype=np.float32)
        inside = query.indices < self._matrix.shape[1]
        columns = self._matrix[:, query.indices[inside]]
        return np.asarray(columns @ query.values[inside], dtype=np.float32).ravel()

    def as_cosines(self, rows: np.ndarray, scores: np.ndarray, query: SparseVector) -> np.ndarray:
        """Scores of the items at ``rows`` (from :meth:`scores`) as cosine similarities."""
        norm = float(np.linalg.norm(query.values))
        if not norm or self._matrix is None:
            return np.zeros(len(rows), dtype=np.float32)
        return np.asarray(scores / (self._norms[rows] * norm + 1e-9), dtype=np.float32)

    def top(
        self, scores: np.ndarray, k: int, allowed: Callable[[str], bool] | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` best ``(key, score)`` pairs of :meth:`scores`, best first, scores above zero only."""
        return top_keys(self._keys, scores, k, allowed)
