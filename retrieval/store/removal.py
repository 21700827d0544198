"""Taking chunks and articles out of the archive: removals, the sweep after a killed run, and the steps a
write shares with them (counting chunks out of the figures, deleting a version's chunks).

- A removal is one switch, as a write is (:mod:`retrieval.store.writer`): one upsert marks the article
  records ``removed`` (invisible from then on) and applies the figures' delta; then the chunks, their
  entries in the name and month indexes, and the article and fingerprint records are deleted.
- Chunks leave the month index and the name index before they are deleted, so that a run killed in
  between leaves at most index entries of chunks that are not there (reads skip them).
- :meth:`Removal.sweep` finishes what a killed run left: an article record marked ``writing`` is either
  deleted (``pending``, ``removed``) or kept with only the chunks of the version it names, and term
  delta records no longer listed as pending (a fold killed after it cleared the list) are deleted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from chromadb.api.models.Collection import Collection

from retrieval.entities.index import changes
from retrieval.store.client import translate_errors, upsert_without_vectors
from retrieval.store.entities import filed_of
from retrieval.store.part import ArchivePart
from retrieval.store.postings import by_key
from retrieval.store.reads import Row, read_by_ids, rows
from retrieval.store.schema import ARTICLE_PREFIX, FINGERPRINT_PREFIX, Kind
from retrieval.store.shapes import chunk_from, chunk_id
from retrieval.store.statistics import StatsDelta
from retrieval.store.story_members import StoryMembers
from retrieval.terms import name_keys

_DELETE = 500
"""Articles whose chunks one ``where`` selects and deletes."""


class Removal(ArchivePart):
    """Removing articles and chunks from one archive."""

    @translate_errors
    def remove(self, article_ids: Sequence[str]) -> None:
        """Remove articles: one write takes them out of search and out of the statistics, then their
        chunks and records are deleted."""
        if not article_ids:
            return
        most = self.per_switch()
        if len(article_ids) > most:
            for i in range(0, len(article_ids), most):
                self.remove(article_ids[i : i + most])
            return
        articles = self.collections.articles()
        old = self.articles.records(article_ids)
        col = self.collections.chunks()
        delta = StatsDelta()
        visible = [dict(m) | {"id": aid} for aid, m in old.items() if m.get("kind") == Kind.ARTICLE]
        if col is not None:
            self.count_out(col, delta, visible)
        self.collections.entities().change(changes([], [filed_of(m["id"], m) for m in visible]))
        ids, metas = self.figures.delta_records(delta)
        ids += [ARTICLE_PREFIX + aid for aid in old]
        metas += [dict(m) | {"kind": Kind.REMOVED, "writing": True} for m in old.values()]
        upsert_without_vectors(articles, ids, metas, self.collections.batch())
        StoryMembers(articles, self.collections.batch()).leave(departed(old, {}))
        self.delete_articles(list(old))
        self.collections.bump_generation()
        self.figures.fold_when_due()

    @translate_errors
    def sweep(self) -> int:
        """Finish what a killed run left: chunks of versions no record names, half-removed articles.
        Returns how many articles needed it."""
        articles = self.collections.articles()
        got = rows(articles.get(where={"writing": True}, include=["metadatas"]))
        col = self.collections.chunks()
        unfinished = [(row.id[len(ARTICLE_PREFIX) :], row.metadata) for row in got]
        gone = [aid for aid, m in unfinished if m.get("kind") in (Kind.PENDING, Kind.REMOVED)]
        self.delete_articles(gone)
        kept = {aid: str(m.get("version")) for aid, m in unfinished if m.get("kind") == Kind.ARTICLE}
        if col is not None and kept:
            self.delete_other_versions(col, kept)
        if kept:
            upsert_without_vectors(
                articles,
                [ARTICLE_PREFIX + aid for aid in kept],
                [dict(m) | {"writing": False} for aid, m in unfinished if aid in kept],
                self.collections.batch(),
            )
        pending = set(self.figures.archive_stats().pending)
        deltas = rows(articles.get(where={"kind": Kind.DELTA}, include=[]))
        orphans = [row.id for row in deltas if row.id not in pending]
        if orphans:  # a fold killed after it cleared the pending list
            articles.delete(ids=orphans)
        return len(unfinished)

    def count_out(self, col: Collection, delta: StatsDelta, records: Sequence[Mapping[str, Any]]) -> None:
        """Count the visible chunks of these article records out of ``delta`` (they are being replaced or
        removed)."""
        if not records:
            return
        ids = [chunk_id(str(r["id"]), str(r["version"]), i) for r in records for i in range(int(r["chunks"]))]
        include = ["documents", "metadatas", "embeddings"]
        for batch in read_by_ids(col, ids, self.collections.batch(), include=include):
            chunks = [chunk_from(row.document, row.metadata) for row in batch]
            vectors = np.asarray([row.embedding for row in batch], dtype=np.float32).reshape(len(chunks), -1)
            delta.add(chunks, vectors, sign=-1, articles=0)
        delta.articles -= len(records)
        delta.add_outlets((r.get("source") for r in records), -1)

    def delete_other_versions(self, col: Collection, keep: Mapping[str, str]) -> None:
        """Delete chunks (and their keys) of these articles whose version is not the one to keep."""
        for aid, version in keep.items():
            clause: Any = {"$and": [{"article_id": aid}, {"version": {"$ne": version}}]}
            stale = rows(col.get(where=clause, include=["documents", "metadatas"]))
            if stale:
                self._unindex(col, stale)
                col.delete(ids=[row.id for row in stale])

    def delete_articles(self, article_ids: Sequence[str]) -> None:
        """Delete these articles' chunks (out of the indexes first), article and fingerprint records."""
        col = self.collections.chunks()
        for i in range(0, len(article_ids), _DELETE):
            part = list(article_ids[i : i + _DELETE])
            clause: Any = {"article_id": {"$in": part}}
            if col is not None:
                self._unindex(col, rows(col.get(where=clause, include=["documents", "metadatas"])))
                col.delete(where=clause)
            self.collections.articles().delete(
                ids=[p + a for a in part for p in (ARTICLE_PREFIX, FINGERPRINT_PREFIX)]
            )

    def _unindex(self, col: Collection, chunks: Sequence[Row]) -> None:
        """Take these chunks (read with their documents and metadata), about to be deleted, out of the
        month index and the name index."""
        if self.collections.has_months(col):
            self.collections.months().remove([c.id for c in chunks], [c.metadata for c in chunks])
        if chunks:
            filed = ((c.id, name_keys(c.document or "")) for c in chunks)
            self.collections.postings().change(add={}, drop=by_key(filed))


def departed(old: Mapping[str, Mapping[str, Any]], now: Mapping[str, str]) -> dict[str, list[str]]:
    """The articles of these records (by id) that leave the story they were filed in, by its label: all
    of them, but those whose story ``now`` names the same."""
    out: dict[str, list[str]] = {}
    for aid, m in old.items():
        label = str(m.get("story") or "")
        if label and now.get(aid) != label:
            out.setdefault(label, []).append(aid)
    return out
