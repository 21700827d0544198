"""Hybrid retrieval: dense search in Chroma plus BM25, fused into one ranking of passages.

The lexical index is built from the store's visible chunks and rebuilt whenever the store's generation
changes (any ingestion, prune or rebuild, by this process or another one sharing a Chroma server).
Dates the question names boost passages of those days (a soft preference: undated archives still answer);
explicit filters (``--since``, ``--until``, sources) are hard. Latest-state questions prefer newer articles.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from retrieval.dates import DateIntent, parse_question_dates
from retrieval.embeddings import NewsEmbeddings
from retrieval.fusion import limit_per_article, reciprocal_rank_fusion
from retrieval.lexical import LexicalIndex
from retrieval.records import Chunk, Passage, SearchFilters
from retrieval.store import ChunkStore

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def question_language(text: str) -> str:
    """``ru`` when the text is mostly Cyrillic, else ``en``."""
    cyr, lat = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    return "ru" if cyr >= lat else "en"


@dataclass(frozen=True, slots=True)
class RetrievalConfig:
    dense_k: int = 40
    lexical_k: int = 40
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight_same_language: float = 1.0
    lexical_weight_cross_language: float = 0.3
    per_article: int = 2
    date_boost: float = 0.02
    recency_boost: float = 0.01


@dataclass(frozen=True, slots=True)
class SearchResult:
    passages: list[Passage]
    intent: DateIntent
    language: str
    dense_top: float
    """Cosine similarity of the best dense hit (0 when none): the main relevance signal."""
    lexical_top: float
    timings: dict[str, float] = field(default_factory=dict)


class LexicalCache:
    """The BM25 index of a store's visible chunks, rebuilt when the store's generation moves."""

    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._generation: int | None = None
        self.index = LexicalIndex.build([])
        self.chunks: dict[str, Chunk] = {}
        self.date_range: tuple[date | None, date | None] = (None, None)
        self.sources: tuple[str, ...] = ()

    def current(self) -> tuple[LexicalIndex, dict[str, Chunk]]:
        generation = self.store.generation()
        with self._lock:
            if generation != self._generation:
                chunks = dict(self.store.visible_chunks())
                self.index = LexicalIndex.build([(cid, _lexical_text(c)) for cid, c in chunks.items()])
                self.chunks = chunks
                dates = [c.date for c in chunks.values() if c.date]
                self.date_range = (min(dates), max(dates)) if dates else (None, None)
                self.sources = tuple(sorted({c.source for c in chunks.values() if c.source}))
                self._generation = generation
            return self.index, self.chunks


def _lexical_text(chunk: Chunk) -> str:
    return f"{chunk.title}\n{chunk.text}" if chunk.index == 0 else chunk.text


def _chunk_key(chunk: Chunk) -> tuple[str, int]:
    return chunk.article_id, chunk.index


class Retriever:
    def __init__(
        self,
        store: ChunkStore,
        embeddings: NewsEmbeddings,
        *,
        config: RetrievalConfig | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.config = config or RetrievalConfig()
        self.today = today
        self.lexical = LexicalCache(store)

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> SearchResult:
        cfg = self.config
        filters = filters or SearchFilters()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        intent = parse_question_dates(query, today=self.today())
        language = question_language(query)
        vector = self.embeddings.embed_question(query)
        t1 = time.perf_counter()
        dense = self.store.search(vector, cfg.dense_k, filters)
        t2 = time.perf_counter()
        index, chunks = self.lexical.current()
        allowed = None if filters.empty else (lambda cid: filters.matches(chunks[cid]))
        lexical = index.search(query, cfg.lexical_k, allowed)
        t3 = time.perf_counter()
        timings.update(embed=t1 - t0, dense=t2 - t1, lexical=t3 - t2)

        by_key: dict[tuple[str, int], Passage] = {_chunk_key(p.chunk): p for p in dense}
        dense_ids = [_chunk_key(p.chunk) for p in dense]
        lexical_ids: list[tuple[str, int]] = []
        for cid, score in lexical:
            chunk = chunks[cid]
            key = _chunk_key(chunk)
            lexical_ids.append(key)
            by_key.setdefault(key, Passage(chunk, score, "lexical"))
        lex_weight = (
            cfg.lexical_weight_same_language if language == "ru" else cfg.lexical_weight_cross_language
        )
        fused = reciprocal_rank_fusion(
            [[_key_str(k) for k in dense_ids], [_key_str(k) for k in lexical_ids]],
            k=cfg.rrf_k,
            weights=[cfg.dense_weight, lex_weight],
        )
        keys = {_key_str(k): k for k in by_key}
        ranked = [
            replace(by_key[keys[key]], score=score + self._date_bonus(by_key[keys[key]].chunk, intent))
            for key, score in fused
        ]
        ranked.sort(key=lambda p: -p.score)
        passages = limit_per_article(ranked, cfg.per_article)[: max(k, 1) * 4]
        timings["total"] = time.perf_counter() - t0
        return SearchResult(
            passages=passages,
            intent=intent,
            language=language,
            dense_top=dense[0].score if dense else 0.0,
            lexical_top=lexical[0][1] if lexical else 0.0,
            timings=timings,
        )

    def _date_bonus(self, chunk: Chunk, intent: DateIntent) -> float:
        if chunk.date is None:
            return 0.0
        bonus = 0.0
        if intent.range is not None and chunk.date in intent.range:
            bonus += self.config.date_boost
        if intent.prefer_recent:
            age_days = max(0, (self.today() - chunk.date).days)
            bonus += self.config.recency_boost / (1.0 + age_days / 30.0)
        return bonus


def _key_str(key: tuple[str, int]) -> str:
    return f"{key[0]}\x1f{key[1]}"


def resolve_sources(names: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    """Map what a user typed to stored outlet names: exact, then case-insensitive, then prefix."""
    resolved: list[str] = []
    for name in names:
        lowered = name.strip().lower()
        exact = [k for k in known if k == name] or [k for k in known if k.lower() == lowered]
        matches = exact or [k for k in known if k.lower().startswith(lowered)]
        resolved.extend(matches or [name])
    return tuple(dict.fromkeys(resolved))


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / ((np.linalg.norm(a) * np.linalg.norm(b)) or 1.0))
