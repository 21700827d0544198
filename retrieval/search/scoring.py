"""Scores of one question's candidates: BM25 from stored document frequencies, sparse dot products.

Pure functions over the candidates' texts and vectors; the archive-wide figures (chunk count, average
length, document frequencies) come from the store, where ingestion keeps them current.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from retrieval.records import SparseVector

K1 = 1.5
B = 0.75


def standardise(x: np.ndarray) -> np.ndarray:
    std = float(x.std())
    return (x - float(x.mean())) / std if std > 1e-9 else np.zeros_like(x)


def bm25(
    query_terms: Sequence[str],
    documents: Sequence[Sequence[str]],
    df: Mapping[str, int],
    chunks: int,
    average_length: float,
) -> np.ndarray:
    """Lucene's BM25 of each tokenised document for the query's distinct terms."""
    scores = np.zeros(len(documents), dtype=np.float32)
    terms = list(dict.fromkeys(query_terms))
    if not terms or not chunks:
        return scores
    idf = {t: math.log(1 + (chunks - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)) for t in terms if df.get(t)}
    if not idf:
        return scores
    avg = average_length or 1.0
    for i, tokens in enumerate(documents):
        counts = Counter(tokens)
        norm = K1 * (1 - B + B * len(tokens) / avg)
        scores[i] = sum(w * counts[t] * (K1 + 1) / (counts[t] + norm) for t, w in idf.items() if counts[t])
    return scores


def sparse_scores(query: SparseVector | None, vectors: Sequence[SparseVector | None], dim: int) -> np.ndarray:
    """Dot products of the query's sparse vector with each candidate's (zero where one is missing)."""
    scores = np.zeros(len(vectors), dtype=np.float32)
    if query is None or not len(query.indices) or dim <= 0:
        return scores
    dense = np.zeros(max(dim, int(query.indices.max()) + 1), dtype=np.float32)
    dense[query.indices] = query.values
    for i, v in enumerate(vectors):
        if v is not None and len(v.indices):
            inside = v.indices < len(dense)
            scores[i] = float(dense[v.indices[inside]] @ v.values[inside])
    return scores


def sparse_cosines(
    scores: np.ndarray, vectors: Sequence[SparseVector | None], query: SparseVector | None
) -> np.ndarray:
    """The :func:`sparse_scores` of ``vectors`` as cosines (zeros without a query)."""
    norm = float(np.linalg.norm(query.values)) if query is not None else 0.0
    if not norm:
        return np.zeros(len(vectors), dtype=np.float32)
    return scores / (sparse_norms(vectors) * norm + 1e-9)


def sparse_norms(vectors: Sequence[SparseVector | None]) -> np.ndarray:
    return np.array([float(np.linalg.norm(v.values)) if v is not None else 0.0 for v in vectors], np.float32)
