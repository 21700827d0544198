"""The archive's figures as search uses them: the store's statistics, read once per store generation.

A serving process keeps no copy of the archive: :class:`ArchiveFigures` holds the last statistics read
(chunk count, average length, days, outlets, the dense vectors' moments) with the generation they belong
to, and reads them again when the store's generation has moved (one small read). The mean and covariance
of the archive's vectors, derived once per generation, say how far a question's best match stands above
the archive as a whole (:func:`background_z`).
"""

from __future__ import annotations

import threading
from typing import NamedTuple

import numpy as np

from retrieval.store.chunks import ChunkStore
from retrieval.store.statistics import ArchiveStats


class Figures(NamedTuple):
    """One generation's statistics and the mean and covariance of its vectors (empty when unknown)."""

    stats: ArchiveStats
    mean: np.ndarray
    covariance: np.ndarray


class ArchiveFigures:
    """The store's archive statistics, read again whenever the store's generation moves (one small read);
    the background mean and covariance derived once per generation."""

    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._cached: tuple[int, Figures] | None = None

    def current(self) -> Figures:
        generation = self.store.generation()
        with self._lock:
            cached = self._cached
            if cached is None or cached[0] != generation:
                stats = self.store.archive_stats()
                if stats.moments is not None and stats.moments.count > 1:
                    mean, cov = stats.moments.mean_and_covariance()
                else:
                    mean, cov = np.zeros(0, np.float32), np.zeros((0, 0), np.float32)
                cached = self._cached = (generation, Figures(stats, mean, cov))
            return cached[1]

    def last(self) -> ArchiveStats | None:
        """The statistics of the last generation seen (None before the first question), without asking
        the store whether the generation has moved since."""
        cached = self._cached
        return cached[1].stats if cached is not None else None


def background_z(mean: np.ndarray, cov: np.ndarray, query: np.ndarray, score: float) -> float:
    """How many standard deviations ``score`` lies above the query's similarity to the archive."""
    if not len(mean):
        return 0.0
    std = float(np.sqrt(max(float(query @ cov @ query), 0.0)))
    return (score - float(mean @ query)) / (std + 1e-9)
