"""The reads a question makes of the chunks: the nearest to its vector, those filed under its names, and
chunks or their vectors by id.

Every read here returns chunks visible or not: the caller keeps those whose ``version`` their article
record names (the article records, read by id: :mod:`retrieval.store.articles`). The store applies
the filters. None of these reads walks the archive: each is a kNN or a read by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from retrieval.records import ArticleInfo, Chunk, SearchFilters, SparseVector
from retrieval.store.client import translate_errors
from retrieval.store.months import MAX_MONTHS, day_clause, months_in
from retrieval.store.part import ArchivePart
from retrieval.store.reads import read_by_ids
from retrieval.store.schema import Kind
from retrieval.store.shapes import chunk_from, chunk_id, sparse_from, where
from retrieval.store.statistics import ArchiveStats

_READ = 5000
"""Chunks read per call by id."""


@dataclass(frozen=True, slots=True)
class StoredChunk:
    """A chunk as the store holds it: its id, the chunk, its version, its sparse vector, and (when read)
    its dense vector or its similarity to the query that found it."""

    id: str
    chunk: Chunk
    version: str
    sparse: SparseVector | None = None
    vector: np.ndarray | None = None
    similarity: float | None = None


class Candidates(ArchivePart):
    """The chunk reads of a question, over one archive."""

    @translate_errors
    def nearest(
        self,
        vector: np.ndarray,
        n: int,
        filters: SearchFilters | None = None,
        *,
        articles: Sequence[str] = (),
        stats: ArchiveStats | None = None,
    ) -> list[StoredChunk]:
        """The ``n`` nearest chunks (visible or not), best first, with their cosine similarity, within
        the filters and, when given, the ``articles``.

        A date range over at most :data:`~retrieval.store.months.MAX_MONTHS` months is searched in the
        month index, one month's collection at a time (the days at the ends and the outlets filtered
        there), and the texts read by id; a longer one, and outlets alone, by the chunk collection's
        ``where``. Given articles are read whole and ranked here (a ``where`` on a few articles walks the
        whole graph). ``stats``: the archive's figures (which months hold chunks), read when not given."""
        col = self.collections.chunks()
        if col is None or n <= 0:
            return []
        filters = filters or SearchFilters()
        if articles:
            return self._nearest_in(articles, vector, n, filters)
        ranged = filters.since is not None or filters.until is not None
        if ranged or stats is not None:
            stats = stats or self.figures.archive_stats()
        first, last = stats.date_range if stats is not None else (None, None)
        if ranged and stats is not None and self.collections.has_months(col):
            since, until = filters.since or first, filters.until or last
            if since is None or until is None or since > until:
                return []
            months = months_in(since, until, stats.days)
            if len(months) <= MAX_MONTHS:
                return self._nearest_by_month(vector, n, filters, months, stats)
        res = col.query(
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=n,
            where=where(filters, first, last),
            include=["documents", "metadatas", "distances"],
        )
        return [
            StoredChunk(
                cid,
                chunk_from(doc, meta),
                str(meta.get("version")),
                sparse_from(meta),
                None,
                1.0 - float(dist),
            )
            for cid, doc, meta, dist in zip(
                res["ids"][0],
                (res["documents"] or [[]])[0],
                (res["metadatas"] or [[]])[0],
                (res["distances"] or [[]])[0],
                strict=True,
            )
            if meta
        ]

    def _nearest_by_month(
        self, vector: np.ndarray, n: int, filters: SearchFilters, months: Sequence[int], stats: ArchiveStats
    ) -> list[StoredChunk]:
        """The ``n`` nearest chunks within ``filters`` in the month index's collections of ``months``."""
        since, until = stats.date_range
        since, until = filters.since or since, filters.until or until
        assert since is not None and until is not None
        outlets = {"source": {"$in": list(filters.sources)}} if filters.sources else None
        clauses: dict[int, Any] = {}
        for month in months:
            days = day_clause(since, until, month, stats.days)
            both = [c for c in (days, outlets) if c is not None]
            clauses[month] = both[0] if len(both) == 1 else ({"$and": both} if both else None)
        hits = self.collections.months().nearest(vector, n, clauses)
        read = self.chunks([cid for cid, _ in hits])
        return [replace(read[cid], similarity=1.0 - dist) for cid, dist in hits if cid in read]

    def _nearest_in(
        self, articles: Sequence[str], vector: np.ndarray, n: int, filters: SearchFilters
    ) -> list[StoredChunk]:
        """The ``n`` nearest of the visible chunks of these articles within ``filters``, ranked here."""
        ids = [
            chunk_id(aid, str(meta["version"]), i)
            for aid, meta in self.articles.records(articles).items()
            if meta.get("kind") == Kind.ARTICLE
            for i in range(int(meta.get("chunks", 0)))
        ]
        found = [
            c for c in self.chunks(ids, vectors=True).values() if filters.empty or filters.matches(c.chunk)
        ]
        if not found:
            return []
        query = np.asarray(vector, dtype=np.float32)
        similarity = np.asarray([c.vector for c in found], dtype=np.float32) @ query
        order = np.argsort(-similarity, kind="stable")[:n]
        return [replace(found[i], vector=None, similarity=float(similarity[i])) for i in order]

    @translate_errors
    def keyed(self, keys: Sequence[str], limit: int) -> dict[str, frozenset[str]]:
        """The chunks filed under any of ``keys`` (names, numbers and rarer words: see
        :mod:`retrieval.terms`), at most ``limit`` of them: each id with those of ``keys`` it is filed
        under."""
        return self.collections.postings().lookup(keys, limit)

    @translate_errors
    def chunks(self, ids: Sequence[str], *, vectors: bool = False) -> dict[str, StoredChunk]:
        """The chunks with these ids that exist, by id (a neighbour past an article's end does not)."""
        col = self.collections.chunks()
        if col is None or not ids:
            return {}
        include: list[Any] = ["documents", "metadatas", *(["embeddings"] if vectors else [])]
        return {
            row.id: StoredChunk(
                row.id,
                chunk_from(row.document, row.metadata),
                str(row.metadata.get("version")),
                sparse_from(row.metadata),
                row.embedding,
            )
            for batch in read_by_ids(col, ids, _READ, include=include)
            for row in batch
        }

    def article_chunks(self, info: ArticleInfo) -> list[StoredChunk]:
        """The chunks of the version of an article that ``info`` describes (as
        :meth:`~retrieval.store.articles.ArticleRecords.ingested_after` read it), in order, with their
        dense vectors: one read by id. None are left when that version has been replaced or removed
        since."""
        ids = [chunk_id(info.id, info.content_hash, i) for i in range(info.chunks)]
        found = self.chunks(ids, vectors=True)
        return [found[cid] for cid in ids if cid in found]

    @translate_errors
    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The dense vectors of these chunks, by id (one read, no texts)."""
        col = self.collections.chunks()
        if col is None or not ids:
            return {}
        return {
            row.id: row.embedding
            for batch in read_by_ids(col, ids, _READ, include=["embeddings"])
            for row in batch
            if row.embedding is not None
        }
