"""Reads that walk the chunk collection page by page: never the path of a question.

- :meth:`Scans.matching`: the chunks whose text matches a pattern, for a journalist's command
  (``/timeline``). Chroma answers it itself: its full-text index narrows a pattern with letters to look
  up, one without is a scan on its side.
- :meth:`Scans.visible_chunks`: every chunk search may return, for checks, benches and maintenance.

Pages are read by offset (:mod:`retrieval.store.reads`), so chunks written meanwhile may be missed or met
twice: callers count articles, not chunks.
"""

from __future__ import annotations

from collections.abc import Iterator

from retrieval.records import Chunk, SearchFilters
from retrieval.store.candidates import StoredChunk
from retrieval.store.client import translate_errors
from retrieval.store.part import ArchivePart
from retrieval.store.reads import read_pages
from retrieval.store.shapes import chunk_from, where

MATCHING_PAGE = 1000
"""Chunks read per call of :meth:`Scans.matching` (text and metadata with the sparse terms: ~2 MB)."""
_PAGE = 5000
"""Chunks read per call of :meth:`Scans.visible_chunks`."""


class Scans(ArchivePart):
    """The whole-collection reads of one archive."""

    @translate_errors
    def matching(
        self, pattern: str, filters: SearchFilters | None = None, *, page: int = MATCHING_PAGE
    ) -> Iterator[StoredChunk]:
        """The chunks within ``filters`` whose text matches ``pattern`` (Chroma's ``$regex``, Rust
        syntax), visible or not, read ``page`` at a time."""
        col = self.collections.chunks()
        if col is None:
            return
        first, last = self.figures.archive_stats().date_range
        rows = read_pages(
            col,
            page,
            include=["documents", "metadatas"],
            where=where(filters, first, last),
            where_document={"$regex": pattern},
        )
        for row in rows:
            if row.metadata:
                yield StoredChunk(
                    row.id, chunk_from(row.document, row.metadata), str(row.metadata.get("version"))
                )

    @translate_errors
    def visible_chunks(self) -> Iterator[tuple[str, Chunk]]:
        """Every chunk that search may return, with its id: a read of the whole collection, for checks
        and maintenance (search never reads the archive whole)."""
        col = self.collections.chunks()
        if col is None:
            return
        versions = {aid: str(m.get("version")) for aid, m in self.articles.rows()}
        for row in read_pages(col, _PAGE, include=["documents", "metadatas"]):
            meta = row.metadata
            if meta and versions.get(str(meta.get("article_id"))) == meta.get("version"):
                yield row.id, chunk_from(row.document, meta)
