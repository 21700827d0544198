"""The news archive as the bot uses it: answers, passages, figures and ingestion runs.

Every method blocks (embedding, Chroma, BM25, an LLM call) and is meant to run in a worker thread
(``asyncio.to_thread``); the embeddings object serialises its own callers, the rest is safe to share.

The answerer (store, model, retriever, LLM) is built on first use and then kept. When the store cannot be
reached it is not kept, and the next request tries again: the bot starts and keeps running while Chroma
is down, and answers as soon as it is back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.query_syntax import Query, resolve_filters
from bot.wiring import build_answerer, load_embeddings
from ingest.pipeline import Ingestion, ProgressCallback
from retrieval.answer.answerer import Answerer
from retrieval.archive_index import ArchiveSnapshot
from retrieval.embeddings import NewsEmbeddings
from retrieval.records import Answer, Passage, SearchFilters, StoreStats
from retrieval.settings import Settings

AnswererFactory = Callable[[Settings, NewsEmbeddings], Answerer]


def default_answerer(settings: Settings, embeddings: NewsEmbeddings) -> Answerer:
    return build_answerer(settings, embeddings=embeddings)


@dataclass(frozen=True, slots=True)
class Overview:
    """What /start and /help say about the archive."""

    articles: int
    chunks: int
    since: date | None
    until: date | None
    sources: tuple[str, ...]


class Archive:
    def __init__(
        self,
        settings: Settings,
        *,
        embeddings: NewsEmbeddings | None = None,
        make_answerer: AnswererFactory = default_answerer,
    ) -> None:
        self.settings = settings
        self._embeddings = embeddings
        self._make_answerer = make_answerer
        self._answerer: Answerer | None = None
        self._lock = threading.Lock()
        self._overview: tuple[ArchiveSnapshot, Overview] | None = None

    @property
    def embeddings(self) -> NewsEmbeddings:
        with self._lock:
            if self._embeddings is None:
                self._embeddings = load_embeddings(self.settings)
            return self._embeddings

    def answerer(self) -> Answerer:
        """The answerer, built now if it was not yet (raises StoreUnavailable while the store is down)."""
        embeddings = self.embeddings
        with self._lock:
            if self._answerer is None:
                self._answerer = self._make_answerer(self.settings, embeddings)
            return self._answerer

    def warm(self) -> Overview:
        """Load the model and the lexical index before the first question."""
        return self.overview()

    def filters(self, query: Query) -> SearchFilters | None:
        if not query.has_filters:
            return None
        known: tuple[str, ...] = ()
        if query.sources:
            known = self.answerer().retriever.archive.current().sources  # as of the latest ingestion
        return resolve_filters(query, known, date.today())

    def ask(self, query: Query) -> Answer:
        answerer = self.answerer()
        return answerer.ask(query.text, self.filters(query))

    def search(self, query: Query, k: int) -> list[Passage]:
        answerer = self.answerer()
        result = answerer.retriever.search(query.text, k, self.filters(query))
        return result.passages[:k]

    def overview(self) -> Overview:
        snapshot = self.answerer().retriever.archive.current()
        cached = self._overview
        if cached is not None and cached[0] is snapshot:
            return cached[1]
        overview = Overview(
            articles=len({c.article_id for c in snapshot.chunks}),
            chunks=len(snapshot),
            since=snapshot.date_range[0],
            until=snapshot.date_range[1],
            sources=snapshot.sources,
        )
        self._overview = (snapshot, overview)
        return overview

    def stats(self) -> StoreStats:
        return self.answerer().retriever.store.stats()

    def ingestion(self, *, progress: ProgressCallback, cancel: threading.Event) -> Ingestion:
        """An ingestion into the archive's store with the archive's model (not started)."""
        store = self.answerer().retriever.store
        return Ingestion(
            store,
            self.embeddings,
            lock_dir=Path(self.settings.data_dir) / "locks",
            progress=progress,
            cancel=cancel,
        )
