"""The archive in memory, for fast hybrid retrieval: rebuilt from the store when its generation moves.

Holds every visible chunk with its dense vector (for exact rescoring), a sparse latent-term index and a
BM25 index, plus each chunk's neighbours in its article, the archive's date range and its outlets. The
store stays the source of truth: another process that ingests into the same Chroma server bumps the
generation, and the next search here rebuilds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from retrieval.records import Chunk, day_number
from retrieval.search.lexical import LexicalIndex
from retrieval.sparse_index import SparseIndex
from retrieval.store.chunks import ChunkStore

BACKGROUND_SAMPLE = 2048


@dataclass(slots=True)
class ArchiveSnapshot:
    generation: int | None = None
    ids: list[str] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    row: dict[str, int] = field(default_factory=dict)
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    prev: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    next: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    lexical: LexicalIndex = field(default_factory=lambda: LexicalIndex.build([]))
    sparse: SparseIndex = field(default_factory=lambda: SparseIndex([], None))
    date_range: tuple[date | None, date | None] = (None, None)
    days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Sorted ``YYYYMMDD`` days of the dated chunks."""
    sources: tuple[str, ...] = ()
    background_mean: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    background_cov: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    """Mean and covariance of the vectors of an even sample of the archive: a question's similarity to the
    sample has mean ``m·q`` and variance ``qᵀCq`` (how similar it is to the archive in general)."""

    def __len__(self) -> int:
        return len(self.ids)

    def background_z(self, query: np.ndarray, score: float) -> float:
        """How many standard deviations ``score`` lies above the query's similarity to the archive."""
        if not len(self.background_mean):
            return 0.0
        mean = float(self.background_mean @ query)
        std = float(np.sqrt(max(float(query @ self.background_cov @ query), 0.0)))
        return (score - mean) / (std + 1e-9)

    def has_dates_in(self, since: date | None, until: date | None) -> bool:
        """Whether any chunk is dated within the inclusive range (open ends allowed)."""
        lo = np.searchsorted(self.days, day_number(since) if since else 0, side="left")
        hi = np.searchsorted(self.days, day_number(until) if until else 99999999, side="right")
        return bool(hi > lo)


def build_snapshot(store: ChunkStore, generation: int, sparse_dim: int) -> ArchiveSnapshot:
    rows = list(store.visible_rows(vectors=True))
    rows.sort(key=lambda r: (r.chunk.article_id, r.chunk.index))
    snap = ArchiveSnapshot(generation=generation)
    snap.ids = [r.id for r in rows]
    snap.chunks = [r.chunk for r in rows]
    snap.row = {cid: i for i, cid in enumerate(snap.ids)}
    if rows:
        snap.vectors = np.stack([np.asarray(r.vector, dtype=np.float32) for r in rows])
        sample = np.linspace(0, len(rows) - 1, min(len(rows), BACKGROUND_SAMPLE)).astype(np.int64)
        background = snap.vectors[sample].astype(np.float64)
        snap.background_mean = background.mean(axis=0).astype(np.float32)
        snap.background_cov = np.atleast_2d(np.cov(background, rowvar=False, bias=True)).astype(np.float32)
    same_prev = [i > 0 and rows[i - 1].chunk.article_id == r.chunk.article_id for i, r in enumerate(rows)]
    snap.prev = np.array([i - 1 if same_prev[i] else -1 for i in range(len(rows))], dtype=np.int64)
    snap.next = np.array(
        [i + 1 if i + 1 < len(rows) and same_prev[i + 1] else -1 for i in range(len(rows))], dtype=np.int64
    )
    snap.lexical = LexicalIndex.build([(r.id, r.chunk.text) for r in rows])
    with_sparse = [(r.id, r.sparse) for r in rows if r.sparse is not None]
    snap.sparse = (
        SparseIndex.build(with_sparse, sparse_dim) if len(with_sparse) == len(rows) else SparseIndex([], None)
    )
    dates = [c.date for c in snap.chunks if c.date]
    snap.days = np.sort(np.array([day_number(d) for d in dates], dtype=np.int64))
    snap.date_range = (min(dates), max(dates)) if dates else (None, None)
    snap.sources = tuple(sorted({c.source for c in snap.chunks if c.source}))
    return snap


class ArchiveIndex:
    """The current :class:`ArchiveSnapshot` of a store; :meth:`current` rebuilds it when stale."""

    def __init__(self, store: ChunkStore, sparse_dim: int = 0) -> None:
        self.store = store
        self.sparse_dim = sparse_dim
        self._lock = threading.Lock()
        self._snapshot = ArchiveSnapshot()

    def current(self) -> ArchiveSnapshot:
        generation = self.store.generation()
        with self._lock:
            if generation != self._snapshot.generation:
                self._snapshot = build_snapshot(self.store, generation, self.sparse_dim)
                release_free_memory()
            return self._snapshot

    @property
    def snapshot(self) -> ArchiveSnapshot:
        """The last snapshot built, without asking the store (may be stale; empty before the first)."""
        return self._snapshot

    @property
    def date_range(self) -> tuple[date | None, date | None]:
        return self._snapshot.date_range

    @property
    def sources(self) -> tuple[str, ...]:
        return self._snapshot.sources


def release_free_memory() -> None:
    """Hand the heap that a rebuild freed back to the operating system. glibc keeps freed memory of a
    build's temporary objects (about half the resident size after building a large archive's indexes);
    ``malloc_trim`` returns it. Elsewhere (no glibc) this does nothing."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, looked up once (finding the C library may run ``ldconfig``)."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim
