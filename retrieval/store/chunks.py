"""The archive in Chroma, as callers hold it: :class:`ChunkStore`, one object over the store's parts.

Each method hands over to the module for its job; read those for the contracts:

- :mod:`~retrieval.store.schema`: what the archive's collections (and those beside it: the feeds, the
  follows) are called and the records each holds;
- :mod:`~retrieval.store.collections`: opening and keeping them, the embedding model and layout an
  archive was written with, its generation;
- :mod:`~retrieval.store.articles`: the article records (which version of an article is visible);
- :mod:`~retrieval.store.stories`: near-duplicate articles grouped in stories as they are written
  (:mod:`~retrieval.store.fingerprints`: their MinHash; :mod:`~retrieval.store.story_members`: the
  stories' member records);
- :mod:`~retrieval.store.figures`: the statistics and the document frequencies, kept with the archive;
- :mod:`~retrieval.store.writer`: writing new versions of articles, crash-safely (the switch);
- :mod:`~retrieval.store.removal`: removing articles, and the sweep after a killed run;
- :mod:`~retrieval.store.candidates`: a question's reads (nearest chunks, names, chunks by id);
- :mod:`~retrieval.store.scans`: reads that walk the chunks (a pattern's matches, every visible chunk).

Only ingestion writes (one ingestion at a time holds the store's lock); any number of processes read.
Every method raises :class:`~retrieval.errors.StoreError` (or one of its kinds) for Chroma's failures.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from chromadb.api import ClientAPI

from retrieval.records import ArticleInfo, Chunk, SearchFilters, StoreStats, Story
from retrieval.settings import CHROMA_TIMEOUT
from retrieval.store.articles import ArticleRecords
from retrieval.store.candidates import Candidates, StoredChunk
from retrieval.store.client import make_client, translate_errors
from retrieval.store.collections import Collections
from retrieval.store.figures import Figures
from retrieval.store.removal import Removal
from retrieval.store.scans import MATCHING_PAGE, Scans
from retrieval.store.schema import META_LAST_INGEST
from retrieval.store.statistics import ArchiveStats
from retrieval.store.stories import Stories
from retrieval.store.writer import ArticleWrite, Writer

__all__ = ["ArticleWrite", "ChunkStore", "StoredChunk"]


class ChunkStore:
    """An archive in Chroma. Build with :meth:`open`, or pass a client (tests, other setups)."""

    def __init__(self, client: ClientAPI, name: str, *, location: str = "", month_index: bool = True) -> None:
        self.client = client
        self.name = name
        """The archive's name: its chunk collection's, and the stem of its other collections' names."""
        self.location = location or name
        """Where the store is (a path or a server), for messages."""
        self.month_index = month_index
        """Whether the archive keeps a month index when this store creates it."""
        self.collections = Collections(client, name, location=self.location, month_index=month_index)
        self._records = ArticleRecords(self.collections)
        self._figures = Figures(self.collections)
        self._removal = Removal(self.collections, self._records, self._figures)
        self._writer = Writer(self.collections, self._records, self._figures, self._removal)
        self._candidates = Candidates(self.collections, self._records, self._figures)
        self._scans = Scans(self.collections, self._records, self._figures)

    @classmethod
    def open(
        cls,
        chroma_url: str | None,
        data_dir: os.PathLike[str] | str,
        name: str,
        *,
        tenant: str | None = None,
        database: str | None = None,
        token: str | None = None,
        token_header: str = "X-Chroma-Token",
        month_index: bool = True,
        timeout: float | None = CHROMA_TIMEOUT,
    ) -> ChunkStore:
        """The store on a Chroma server (``tenant``, ``database``, ``token`` and ``timeout``, each
        request's deadline, apply) or embedded."""
        client = make_client(
            chroma_url,
            data_dir,
            tenant=tenant,
            database=database,
            token=token,
            token_header=token_header,
            timeout=timeout,
        )
        if chroma_url and (tenant or database):
            location = f"{chroma_url} ({tenant or 'default tenant'}/{database or 'default database'})"
        else:
            location = chroma_url or os.fspath(data_dir)
        return cls(client, name, location=location, month_index=month_index)

    # -- the archive's collections: retrieval.store.collections ------------------------------------------

    def exists(self) -> bool:
        return self.collections.exists()

    def ensure(self, model_id: str, dim: int) -> None:
        """Create the archive for ``model_id`` if needed; refuse one made with another model or layout."""
        self.collections.ensure(model_id, dim)

    def check_model(self, model_id: str) -> None:
        self.collections.check_model(model_id)

    def drop(self) -> None:
        """Delete the archive's collections (``--rebuild``)."""
        self.collections.drop()

    def metadata(self) -> dict[str, Any]:
        """The chunk collection's metadata, read afresh."""
        return self.collections.metadata()

    def update_metadata(self, **values: Any) -> None:
        """Merge ``values`` into the chunk collection's metadata."""
        self.collections.update_metadata(**values)

    def embedding_model(self) -> str | None:
        return self.collections.embedding_model()

    def generation(self) -> int:
        """Bumped on every change to the archive: a cheap way for caches to notice other writers."""
        return self.collections.generation()

    def mark_ingested(self) -> None:
        """The end of an ingestion: the pending term deltas are folded, the generation bumped."""
        self._figures.fold()
        self.collections.bump_generation(
            **{META_LAST_INGEST: datetime.now(UTC).isoformat(timespec="seconds")}
        )

    # -- articles and their stories: retrieval.store.articles, retrieval.store.stories ------------------

    def articles(self) -> dict[str, ArticleInfo]:
        """Every visible article, by id."""
        return self._records.all()

    def article_roots(self) -> dict[str, str]:
        """Article id -> the ingested root it came from (what ``--prune`` is scoped to)."""
        return self._records.roots()

    def article_infos(self, article_ids: Sequence[str]) -> dict[str, ArticleInfo]:
        """The visible ones of these articles, by id."""
        return self._records.infos(article_ids)

    def versions(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The visible version of each of these articles that the archive holds."""
        return self._records.versions(article_ids)

    def ingested_after(self, since: float) -> list[ArticleInfo]:
        """The visible articles switched in after ``since`` (epoch seconds), earliest first."""
        return self._records.ingested_after(since)

    @translate_errors
    def stories_of(self, infos: Sequence[ArticleInfo]) -> dict[str, Story]:
        """The story of each of these visible articles (their records, as :meth:`article_infos` reads
        them), with all its visible articles: :mod:`retrieval.store.stories`."""
        return Stories(self.collections.articles(), self.collections.batch()).of(infos)

    @translate_errors
    def whole_story(self, info: ArticleInfo) -> Story:
        """The story of this visible article with every one of its visible articles read (not only the
        first few, as :meth:`stories_of` reads them): what a story's pickup lists."""
        return Stories(self.collections.articles(), self.collections.batch()).of([info], most=None)[info.id]

    def outlets_active(self, since: date, until: date, outlets: Iterable[str]) -> list[str]:
        """Those of ``outlets`` with a visible article dated from ``since`` to ``until`` (inclusive)."""
        return self._records.outlets_active(since, until, outlets)

    # -- figures: retrieval.store.figures --------------------------------------------------------------

    def archive_stats(self) -> ArchiveStats:
        """The archive's figures, as ingestion keeps them (one small read)."""
        return self._figures.archive_stats()

    def stats(self) -> StoreStats:
        """The archive's figures for people (``newsbot stats``, ``/stats``)."""
        return self._figures.store_stats()

    def document_frequencies(self, terms: Sequence[str], stats: ArchiveStats | None = None) -> dict[str, int]:
        """In how many visible chunks each term occurs (absent terms occur in none)."""
        return self._figures.document_frequencies(terms, stats)

    def fold(self) -> None:
        """Fold the pending term deltas into the term records."""
        self._figures.fold()

    # -- writing and removing: retrieval.store.writer, retrieval.store.removal ---------------------------

    def write(self, writes: Sequence[ArticleWrite]) -> int:
        """Replace the given articles by their new versions, crash-safely; the chunks written."""
        return self._writer.write(writes)

    def remove(self, article_ids: Sequence[str]) -> None:
        """Take these articles out of search and the figures, then delete them."""
        self._removal.remove(article_ids)

    def sweep(self) -> int:
        """Finish what a killed run left; how many articles needed it."""
        return self._removal.sweep()

    # -- reading chunks: retrieval.store.candidates, retrieval.store.scans -------------------------------

    def nearest(
        self,
        vector: np.ndarray,
        n: int,
        filters: SearchFilters | None = None,
        *,
        articles: Sequence[str] = (),
        stats: ArchiveStats | None = None,
    ) -> list[StoredChunk]:
        """The ``n`` nearest chunks (visible or not), best first, within the filters and the ``articles``."""
        return self._candidates.nearest(vector, n, filters, articles=articles, stats=stats)

    def keyed(self, keys: Sequence[str], limit: int) -> dict[str, frozenset[str]]:
        """The chunks filed under any of ``keys``, at most ``limit``: each id with the keys it is under."""
        return self._candidates.keyed(keys, limit)

    def chunks(self, ids: Sequence[str], *, vectors: bool = False) -> dict[str, StoredChunk]:
        """The chunks with these ids that exist, by id."""
        return self._candidates.chunks(ids, vectors=vectors)

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The dense vectors of these chunks, by id."""
        return self._candidates.vectors(ids)

    def article_chunks(self, info: ArticleInfo) -> list[StoredChunk]:
        """The chunks of the version of an article that ``info`` describes, in order, with their vectors."""
        return self._candidates.article_chunks(info)

    def matching(
        self, pattern: str, filters: SearchFilters | None = None, *, page: int = MATCHING_PAGE
    ) -> Iterator[StoredChunk]:
        """The chunks within ``filters`` whose text matches ``pattern`` (visible or not), page by page."""
        return self._scans.matching(pattern, filters, page=page)

    def visible_chunks(self) -> Iterator[tuple[str, Chunk]]:
        """Every chunk that search may return, with its id (a read of the whole collection)."""
        return self._scans.visible_chunks()
