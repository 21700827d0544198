"""Stage two of a search, the signals: each candidate scored, and the scores fused into one.

Every candidate is scored by each signal: dense similarity, sparse latent terms (stored with each chunk;
they match across languages), BM25 with the document frequencies that ingestion keeps in the store
(:mod:`retrieval.search.scoring`), and the share of the question's names and numbers it mentions. Each
of the first three is standardised over the candidates and the weighted sum is the fused score (BM25
only counts for questions in the archive's language, where words can match at all). A chunk whose
neighbour matches too gains a little (context); dates the question names and latest-state questions
boost dated chunks; the articles a conversation cited so far gain :attr:`SearchConfig.thread_prior`.

Pure functions and arithmetic over the candidates and what the question says; nothing here reads the
store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import numpy as np

from retrieval.records import Chunk, SparseVector
from retrieval.search.config import SearchConfig
from retrieval.search.dates import DateIntent
from retrieval.search.scoring import bm25, sparse_scores, standardise
from retrieval.store.chunks import StoredChunk
from retrieval.store.statistics import ArchiveStats
from retrieval.terms import chunk_analysis, query_key_groups


@dataclass(frozen=True, slots=True)
class Question:
    """What scoring a question's candidates needs of it (``sparse``: its sparse vector, once known)."""

    text: str
    terms: Sequence[str]
    df: Mapping[str, int]
    stats: ArchiveStats
    sparse: SparseVector | None
    language: str
    intent: DateIntent
    prior: tuple[str, ...]


class Signals(NamedTuple):
    """What each candidate scores on its own, known before the question's sparse vector."""

    dense: np.ndarray
    lexical: np.ndarray
    names: np.ndarray


class Scores(NamedTuple):
    """Every signal of the candidates, the sparse one included, and their fused score."""

    fused: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    sparse: np.ndarray


def signals_of(pool: Sequence[StoredChunk], q: Question) -> Signals:
    """What each candidate scores on its own: dense similarity, BM25 (with the store's document
    frequencies) and the share of the question's names it mentions."""
    chunks = [c.chunk for c in pool]
    return Signals(
        np.array([c.similarity or 0.0 for c in pool], dtype=np.float32),
        bm25(
            q.terms,
            [chunk_analysis(c.text)[0] for c in chunks],
            q.df,
            q.stats.chunks,
            q.stats.average_tokens,
        ),
        names_mentioned(query_key_groups(q.text), chunks),
    )


def joined(signals: Signals, kept: Sequence[int], more: Signals) -> Signals:
    """The ``kept`` rows of ``signals`` followed by ``more``."""
    pairs = zip(signals, more, strict=True)
    return Signals(*(np.concatenate([mine[kept], theirs]) for mine, theirs in pairs))


def names_mentioned(groups: Sequence[Sequence[str]], chunks: Sequence[Chunk]) -> np.ndarray:
    """For each chunk, the share of the question's names and numbers (one key group per word) that it
    mentions, by stem or, across scripts, by consonant key."""
    if not groups:
        return np.zeros(len(chunks))
    out = np.zeros(len(chunks))
    for i, chunk in enumerate(chunks):
        keys = chunk_analysis(chunk.text)[1]
        out[i] = sum(1 for group in groups if keys.intersection(group)) / len(groups)
    return out


class Scorer:
    """Fuses the signals by the configured weights; ``today`` dates the latest-state boost."""

    def __init__(self, config: SearchConfig, today: Callable[[], date]) -> None:
        self.config = config
        self.today = today

    def fused(
        self, pool: Sequence[StoredChunk], q: Question, s: Signals, sparse: np.ndarray | None = None
    ) -> np.ndarray:
        """The fused score: each signal standardised over the candidates and weighted (``sparse``: the
        sparse scores, when known), neighbour smoothing, then the date and thread bonuses."""
        cfg = self.config
        chunks = [c.chunk for c in pool]
        lex_weight = (
            cfg.lexical_weight_same_language
            if q.language == cfg.archive_language
            else cfg.lexical_weight_cross_language
        )
        fused = (
            cfg.dense_weight * standardise(s.dense)
            + lex_weight * standardise(s.lexical)
            + cfg.name_weight * s.names
        )
        if sparse is not None:
            fused = fused + cfg.sparse_weight * standardise(sparse)
        bonus = self._date_bonus(chunks, q.intent)
        if q.prior:
            bonus += cfg.thread_prior * np.isin([c.article_id for c in chunks], list(q.prior))
        scored: np.ndarray = self._smooth(chunks, fused) + bonus
        return scored

    def scores(self, pool: Sequence[StoredChunk], q: Question, s: Signals, sparse_dim: int) -> Scores:
        """Every signal of these candidates, the sparse latent terms (of ``sparse_dim`` dimensions)
        included, and their fused score."""
        sparse = sparse_scores(q.sparse, [c.sparse for c in pool], sparse_dim)
        return Scores(self.fused(pool, q, s, sparse), s.dense, s.lexical, sparse)

    def _smooth(self, chunks: Sequence[Chunk], fused: np.ndarray) -> np.ndarray:
        """A chunk gains ``neighbour_weight`` times its best neighbour's score (context agrees)."""
        if not self.config.neighbour_weight:
            return fused
        pos = {(c.article_id, c.index): i for i, c in enumerate(chunks)}
        best = np.full(len(chunks), float(fused.min()))
        for i, c in enumerate(chunks):
            for step in (-1, 1):
                j = pos.get((c.article_id, c.index + step))
                if j is not None:
                    best[i] = max(best[i], fused[j])
        return fused + self.config.neighbour_weight * best

    def _date_bonus(self, chunks: Sequence[Chunk], intent: DateIntent) -> np.ndarray:
        """``date_boost`` for a chunk dated within the range the question names; for a latest-state
        question, ``recency_boost`` shrinking with the chunk's age."""
        bonus = np.zeros(len(chunks))
        if intent.range is None and not intent.prefer_recent:
            return bonus
        today = self.today()
        for i, c in enumerate(chunks):
            if c.date is None:
                continue
            if intent.range is not None and c.date in intent.range:
                bonus[i] += self.config.date_boost
            if intent.prefer_recent:
                bonus[i] += self.config.recency_boost / (1.0 + max(0, (today - c.date).days) / 30.0)
        return bonus
