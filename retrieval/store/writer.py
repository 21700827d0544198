"""Writing articles' new versions, crash-safely: the switch.

An article's chunks are visible to search only while their ``version`` equals its article record's, which
makes every write safe against a crash at any point:

1. the article records are marked ``writing`` (a run killed from here on is cleaned up by the sweep:
   :meth:`retrieval.store.removal.Removal.sweep`);
2. the new version's chunks are written and filed in the name and month indexes (invisible: the record
   still names the old version);
3. one upsert switches the article records to the new version *and* applies the figures' delta (the new
   chunks counted in, the old ones out: the statistics record and the write's term delta record), so
   figures and visible chunks never disagree;
4. the old version's chunks are deleted and the ``writing`` marks cleared; the generation is bumped and
   the term deltas folded when due (:mod:`retrieval.store.figures`).

A write of more articles than one Chroma call takes (its ``max_batch_size``, less the statistics and the
delta records) is switched in groups, each group in one upsert.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from chromadb.api.models.Collection import Collection

from retrieval.entities.article import Named, article_entities
from retrieval.entities.index import Filed, changes
from retrieval.records import ArticleInfo, Chunk, SparseVector
from retrieval.store.articles import ArticleRecords
from retrieval.store.client import translate_errors, upsert_without_vectors
from retrieval.store.collections import Collections
from retrieval.store.entities import entity_field, filed_of
from retrieval.store.figures import Figures
from retrieval.store.fingerprints import article_text
from retrieval.store.part import ArchivePart
from retrieval.store.postings import by_key
from retrieval.store.removal import Removal, departed
from retrieval.store.schema import ARTICLE_PREFIX, Kind
from retrieval.store.shapes import article_metadata, chunk_id, chunk_metadata
from retrieval.store.statistics import StatsDelta
from retrieval.store.stories import Stories
from retrieval.terms import name_keys


@dataclass(frozen=True, slots=True)
class ArticleWrite:
    """One article's new version: its record, its chunks and their vectors (row per chunk)."""

    info: ArticleInfo
    chunks: Sequence[Chunk]
    vectors: np.ndarray
    root: str = ""
    sparse: Sequence[SparseVector] | None = None


class Writer(ArchivePart):
    """Writing articles to one archive."""

    def __init__(
        self, collections: Collections, articles: ArticleRecords, figures: Figures, removal: Removal
    ) -> None:
        super().__init__(collections, articles, figures)
        self.removal = removal

    @translate_errors
    def write(self, writes: Sequence[ArticleWrite]) -> int:
        """Replace the given articles by their new versions, crash-safely (see the module docstring)."""
        if not writes:
            return 0
        most = self.per_switch()
        if len(writes) > most:
            return sum(self.write(writes[i : i + most]) for i in range(0, len(writes), most))
        col = self.collections.live_chunks()
        articles = self.collections.articles()
        old = self.articles.records([w.info.id for w in writes])
        self._mark_writing(articles, writes, old)
        self._write_chunks(col, writes)
        delta = StatsDelta()
        new_chunks = [c for w in writes for c in w.chunks]
        rows = [np.asarray(w.vectors, dtype=np.float32) for w in writes if len(w.chunks)]
        vectors = np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)
        delta.add(new_chunks, vectors, sign=1, articles=len(writes))  # one pass: moments cost per call
        delta.add_outlets((w.info.source for w in writes), 1)
        self.removal.count_out(
            col, delta, [dict(old[w.info.id]) | {"id": w.info.id} for w in writes if _visible(old, w)]
        )
        ids, metas = self.figures.delta_records(delta)
        switched = [replace(w.info, ingested=time.time()) for w in writes]  # when: what follows watch
        stories = Stories(articles, self.collections.batch())
        texts = [article_text(w.chunks) for w in writes]
        switched = stories.file(switched, texts)
        stories.members.leave(departed(old, {i.id: i.story for i in switched}))
        named = [article_entities(text) for text in texts]
        self.collections.entities().change(  # filed before the switch, as the name index is
            changes(
                [_filed(i, found) for i, found in zip(switched, named, strict=True)],
                [filed_of(w.info.id, old[w.info.id]) for w in writes if _visible(old, w)],
            )
        )
        fields = [entity_field(found) for found in named]
        ids += [ARTICLE_PREFIX + w.info.id for w in writes]
        metas += [
            article_metadata(i, w.root, writing=True) | f
            for i, w, f in zip(switched, writes, fields, strict=True)
        ]
        upsert_without_vectors(articles, ids, metas, self.collections.batch())
        self.removal.delete_other_versions(
            col, {w.info.id: w.info.content_hash for w in writes if w.info.id in old}
        )
        upsert_without_vectors(
            articles,
            [ARTICLE_PREFIX + w.info.id for w in writes],
            [
                article_metadata(i, w.root, writing=False) | f
                for i, w, f in zip(switched, writes, fields, strict=True)
            ],
            self.collections.batch(),
        )
        self.collections.bump_generation()  # other processes re-read the figures (dates, outlets) at once
        self.figures.fold_when_due()
        return sum(len(w.chunks) for w in writes)

    def _mark_writing(
        self, articles: Collection, writes: Sequence[ArticleWrite], old: Mapping[str, Mapping[str, Any]]
    ) -> None:
        metas = [
            dict(old[w.info.id]) | {"writing": True}
            if w.info.id in old
            else article_metadata(w.info, w.root, kind=Kind.PENDING, writing=True)
            for w in writes
        ]
        upsert_without_vectors(
            articles, [ARTICLE_PREFIX + w.info.id for w in writes], metas, self.collections.batch()
        )

    def _write_chunks(self, col: Collection, writes: Sequence[ArticleWrite]) -> None:
        ids: list[str] = []
        docs: list[str] = []
        metas: list[Mapping[str, Any]] = []
        vectors: list[np.ndarray] = []
        filed: list[tuple[str, list[str]]] = []
        for w in writes:
            sparse = w.sparse if w.sparse is not None else [None] * len(w.chunks)
            for chunk, vector, sv in zip(w.chunks, w.vectors, sparse, strict=True):
                cid = chunk_id(chunk.article_id, w.info.content_hash, chunk.index)
                ids.append(cid)
                docs.append(chunk.text)
                metas.append(chunk_metadata(chunk, w.info.content_hash, sv))
                vectors.append(vector)
                filed.append((cid, name_keys(chunk.text)))
        self.collections.postings().change(add=by_key(filed), drop={})  # filed before they are visible
        batch = self.collections.batch()
        for i in range(0, len(ids), batch):
            col.upsert(
                ids=ids[i : i + batch],
                documents=docs[i : i + batch],
                metadatas=metas[i : i + batch],
                embeddings=np.asarray(vectors[i : i + batch], dtype=np.float32),
            )
        if self.collections.has_months(col):
            self.collections.months().add(ids, vectors, metas)


def _filed(info: ArticleInfo, named: tuple[Named, ...]) -> Filed:
    return Filed(info.id, info.date.isoformat() if info.date else None, info.source or "", named)


def _visible(old: Mapping[str, Mapping[str, Any]], w: ArticleWrite) -> bool:
    """Whether the article being written has a visible version now (to be counted out)."""
    meta = old.get(w.info.id)
    return meta is not None and meta.get("kind") == Kind.ARTICLE
