"""The news archive as the bot uses it: answers, passages, timelines, figures and ingestion runs.

Every method blocks (embedding, Chroma, an LLM call) and is meant to run in a worker thread
(``asyncio.to_thread``); the embeddings object serialises its own callers, the rest is safe to share.

The answerer (store, model, searcher, LLM) is built on first use and then kept. When the store cannot be
reached it is not kept, and the next request tries again: the bot starts and keeps running while Chroma
is down, and answers as soon as it is back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date

from bot.present.report import left_out_note, with_note
from bot.query_syntax import Query, resolve_filters
from bot.wiring import build_answerer, build_ingestion, load_embeddings
from ingest.pipeline import Ingestion, ProgressCallback
from retrieval.answer.answerer import Answerer, Overview
from retrieval.answer.thread import Thread
from retrieval.embeddings import NewsEmbeddings
from retrieval.entities.mentioned import entity_names, most_mentioned
from retrieval.entities.reading import NotMentioned, Profile, most_named_in, profile, window_of
from retrieval.entities.who import Counted
from retrieval.records import Answer, Passage, SearchFilters, StoreStats
from retrieval.search.pickup import Pickup, pickup_of
from retrieval.search.searcher import question_language
from retrieval.search.timeline import Timeline, count_timeline, count_timelines
from retrieval.settings import Settings

AnswererFactory = Callable[[Settings, NewsEmbeddings], Answerer]


def default_answerer(settings: Settings, embeddings: NewsEmbeddings) -> Answerer:
    return build_answerer(settings, embeddings=embeddings)


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
        """Load the model and read the archive's figures before the first question."""
        return self.overview()

    def filters(self, query: Query) -> SearchFilters | None:
        if not query.has_filters:
            return None
        known: tuple[str, ...] = ()
        if query.sources:
            known = self.answerer().outlets()
        return resolve_filters(query, known, date.today())

    def ask(self, query: Query, thread: Thread | None = None) -> Answer:
        """The answer to ``query``, read as a follow-up of ``thread`` when one is given."""
        answerer = self.answerer()
        filters = self.filters(query)
        return with_note(answerer.ask(query.text, filters, thread), self._left_out(query.text, filters))

    def search(self, query: Query, k: int, *, all_copies: bool = False) -> list[Passage]:
        answerer = self.answerer()
        return answerer.search(query.text, k, self.filters(query), all_copies=all_copies).passages

    def mentioned(self, passages: Sequence[Passage]) -> list[Counted]:
        """The entities most mentioned among ``passages``' articles (:mod:`retrieval.entities.mentioned`)."""
        return most_mentioned(passages, entity_names(self.answerer().store, passages))

    def shortened(self, query: Query) -> str:
        """The note that the query was cut before searching (empty when it was searched whole)."""
        return self.answerer().shortened(query.text)

    def left_out(self, query: Query) -> str:
        """The note that the query's date filter left out articles without a date (empty when none)."""
        return self._left_out(query.text, self.filters(query))

    def _left_out(self, text: str, filters: SearchFilters | None) -> str:
        return left_out_note(self.answerer().undated_left_out(filters), question_language(text))

    def pickup(self, article_id: str) -> Pickup | None:
        """Who ran the story this article tells (None when the archive no longer holds it)."""
        return pickup_of(self.answerer().store, article_id)

    def timeline(self, query: Query) -> Timeline:
        """The articles that mention every word of the query, per week or month (NoWords when it has
        none to look for)."""
        return count_timeline(self.answerer().store, query.text, self.filters(query))

    def timelines(self, query: Query) -> list[Timeline]:
        """The timelines of the queries that ``query`` separates by ``|`` ("Путин | Трамп"), on the same
        periods (NoWords when one has no words to look for, TooManyQueries past five)."""
        texts = [text.strip() for text in query.text.split("|") if text.strip()]
        return count_timelines(self.answerer().store, texts or [query.text], self.filters(query))

    def who(self, query: Query) -> Profile | NotMentioned:
        """``/who``'s page on the name ``query`` gives, within its filters (one outlet at most)."""
        return profile(self.answerer().store, query.text, window_of(self.filters(query)))

    def most_named(self, query: Query, *, kind: str | None, limit: int) -> list[Counted]:
        """Who and what the articles within ``query``'s filters name most (of ``kind``)."""
        window = window_of(self.filters(query))
        return most_named_in(self.answerer().store, window, kind=kind, limit=limit)

    def overview(self) -> Overview:
        return self.answerer().overview()

    def stats(self) -> StoreStats:
        return self.answerer().stats()

    def ingestion(
        self, *, progress: ProgressCallback, cancel: threading.Event, wait: float | None = None
    ) -> Ingestion:
        """An ingestion into the archive's store with the archive's model (not started), waiting at most
        ``wait`` seconds (by default ``NEWSBOT_INGEST_WAIT``) for another one holding the collection."""
        store = self.answerer().store
        return build_ingestion(
            self.settings, store, self.embeddings, progress=progress, cancel=cancel, wait=wait
        )
