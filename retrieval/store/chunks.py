"""The archive in Chroma: its chunks, its articles and its statistics; writes, removals and candidate reads.

Three collections per archive:

- ``<name>``: the chunks (text, dense vector; metadata: article, version, position, dates, outlet and the
  chunk's sparse latent terms);
- ``<name>-keys``: the name index, one record per name, number or rarer word holding the ids of the
  chunks that mention it (:mod:`retrieval.store.postings`), so that a question's names find their
  chunks by a read by id;
- ``<name>-m<YYYYMM>``: the month index, each dated chunk's vector again in its calendar month's
  collection (:mod:`retrieval.store.months`), so that a date-filtered kNN searches the months in range;
- ``<name>-articles``: one record per article (``a:<id>``: its content version, chunk count, title,
  date…, its story), one per article's MinHash fingerprint (``f:<id>``: :mod:`retrieval.store.stories`),
  one per search term (``t:<term>``: its document frequency, as of the term deltas folded into it), one
  per write not yet folded into those (``d:<seq>:<tag>``: the write's term delta) and the archive's
  statistics (``stats``, :class:`~retrieval.store.statistics.ArchiveStats`, which lists the pending
  deltas).

An article's chunks are visible to search only while their ``version`` equals its article record's,
which makes every change safe against a crash at any point:

1. the article records are marked ``writing`` (a run killed from here on is cleaned up by :meth:`sweep`);
2. the new version's chunks are written and filed in the name index (invisible: the record still names
   the old version);
3. one upsert switches the article records to the new version *and* applies the statistics delta (the
   new chunks counted in, the old ones out: the statistics record and the write's term delta record),
   so figures and visible chunks never disagree;
4. the old version's chunks are deleted and the ``writing`` marks cleared.

Every :data:`FOLD_AFTER` writes, and at the end of an ingestion (:meth:`mark_ingested`), the pending
term deltas are folded into the term records (:meth:`fold`): many writes' changes to a common term
become one record write, and a write's cost no longer grows with its vocabulary.

The chunk collection's metadata records the embedding model, a generation counter (bumped on every
change, so that a process can tell that its cached statistics are stale), whether the archive keeps a
month index (archives written before it existed have none, and filter dates in the chunk collection
until they are rebuilt) and the ingestion lock for server mode.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.errors import NotFoundError

from retrieval.errors import EmbeddingMismatch, StoreError
from retrieval.records import ArticleInfo, Chunk, SearchFilters, SparseVector, StoreStats, Story
from retrieval.settings import CHROMA_TIMEOUT
from retrieval.store.client import check_name, make_client, translate_errors, upsert_without_vectors
from retrieval.store.months import MAX_MONTHS, Months, day_clause, months_in
from retrieval.store.opening import vector_index, widen
from retrieval.store.postings import Postings, by_key
from retrieval.store.schema import ARTICLE_PREFIX, DELTA_PREFIX, FINGERPRINT_PREFIX, STATS_ID, TERM_PREFIX
from retrieval.store.shapes import (
    article_from,
    article_metadata,
    chunk_from,
    chunk_id,
    chunk_metadata,
    sparse_from,
    where,
)
from retrieval.store.statistics import ArchiveStats, StatsDelta, TermDelta, folded_count
from retrieval.store.stories import Stories, article_text
from retrieval.terms import name_keys

SCHEMA = 3
_ARTICLES_SUFFIX = "-articles"
_KEYS_SUFFIX = "-keys"
_PAGE = 5000
MATCHING_PAGE = 1000
"""Chunks read per call of :meth:`ChunkStore.matching` (text and metadata with the sparse terms: ~2 MB)."""
_META_EMBEDDING = "newsbot_embedding"
_META_DIM = "newsbot_dim"
_META_SCHEMA = "newsbot_schema"
_META_GENERATION = "newsbot_generation"
_META_LAST_INGEST = "newsbot_last_ingest"
_META_MONTHS = "newsbot_months"
FOLD_AFTER = 16
"""Pending term deltas after which a write folds them into the term records."""


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


@dataclass(frozen=True, slots=True)
class ArticleWrite:
    """One article's new version: its record, its chunks and their vectors (row per chunk)."""

    info: ArticleInfo
    chunks: Sequence[Chunk]
    vectors: np.ndarray
    root: str = ""
    sparse: Sequence[SparseVector] | None = None


class ChunkStore:
    """An archive's chunks in Chroma. Build with :meth:`open`, or pass a client (tests, other setups)."""

    def __init__(self, client: ClientAPI, name: str, *, location: str = "", month_index: bool = True) -> None:
        check_name(name)
        self.client = client
        self.name = name
        self.location = location or name
        self.month_index = month_index
        """Whether the archive keeps a month index when this store creates it."""
        self._deltas: dict[str, TermDelta | None] = {}  # pending term deltas read (None: folded since)
        self._deltas_lock = threading.Lock()
        self._collections: dict[str, Collection] = {}

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

    # -- collections -------------------------------------------------------------------------------
    # The collection objects are kept (each fetch is a round trip to a server); every read of the chunk
    # collection's metadata (the generation, read once per question) fetches it afresh, and when its id
    # has changed (another process rebuilt the archive) the kept ones are dropped.

    @translate_errors
    def _fetch_chunks(self) -> Collection | None:
        try:
            col = self.client.get_collection(self.name, embedding_function=None)
        except (NotFoundError, ValueError):
            self._collections.clear()
            return None
        kept = self._collections.get(self.name)
        if kept is not None and kept.id != col.id:
            self._collections.clear()
        self._collections[self.name] = col
        return col

    def _chunks(self, create_for: tuple[str, int] | None = None) -> Collection | None:
        kept = self._collections.get(self.name)
        if kept is not None:
            return kept
        col = self._fetch_chunks()
        if col is not None or create_for is None:
            return col
        model_id, dim = create_for
        col = self._create(
            self.name,
            configuration=vector_index(),
            metadata={
                _META_EMBEDDING: model_id,
                _META_DIM: dim,
                _META_SCHEMA: SCHEMA,
                _META_GENERATION: 0,
                _META_MONTHS: self.month_index,
            },
        )
        self._collections[self.name] = col
        return col

    def _articles(self) -> Collection:
        return self._kept(self.name + _ARTICLES_SUFFIX)

    def _postings(self) -> Postings:
        return Postings(self._kept(self.name + _KEYS_SUFFIX), self._batch())

    def _months(self) -> Months:
        return Months(self.client, self.name, self._batch(), self._collections)

    def _has_months(self, col: Collection) -> bool:
        """Whether the archive keeps a month index (every archive created since it exists does)."""
        return bool((col.metadata or {}).get(_META_MONTHS))

    def _kept(self, name: str) -> Collection:
        col = self._collections.get(name)
        if col is None:
            col = self._collections[name] = self._create(name)
        return col

    @translate_errors
    def _create(self, name: str, **options: Any) -> Collection:
        return self.client.get_or_create_collection(name, embedding_function=None, **options)

    def _live_chunks(self) -> Collection:
        col = self._chunks()
        if col is None:
            raise StoreError(f"collection {self.name!r} does not exist; call ensure() first")
        return col

    def exists(self) -> bool:
        return self._chunks() is not None

    def metadata(self) -> dict[str, Any]:
        """The chunk collection's metadata, read afresh."""
        col = self._fetch_chunks()
        return dict(col.metadata or {}) if col is not None else {}

    def embedding_model(self) -> str | None:
        value = self.metadata().get(_META_EMBEDDING)
        return str(value) if value else None

    def generation(self) -> int:
        """Bumped on every change to the archive: a cheap way for caches to notice other writers."""
        return int(self.metadata().get(_META_GENERATION, 0))

    def ensure(self, model_id: str, dim: int) -> None:
        """Create the collection for ``model_id`` if needed; refuse one made with another model. The
        collections created with a narrower HNSW search (before :data:`EF_SEARCH`) are widened."""
        col = self._chunks(create_for=(model_id, dim))
        self.check_model(model_id)
        if col is None:
            return
        widen(col)
        if self._has_months(col):
            self._months().widen()

    def check_model(self, model_id: str) -> None:
        meta = self.metadata()
        stored = meta.get(_META_EMBEDDING)
        if stored is not None and stored != model_id:
            raise EmbeddingMismatch(
                f"collection {self.name!r} at {self.location} was built with the embedding model "
                f"{stored!r}, but the configured model is {model_id!r}. Either set NEWSBOT_EMBEDDING "
                f"back to the model it was built with, or rebuild it with the new model: "
                f"newsbot ingest --rebuild PATH"
            )
        if stored is not None and int(meta.get(_META_SCHEMA, 1)) != SCHEMA:
            raise EmbeddingMismatch(
                f"collection {self.name!r} at {self.location} was written by an older newsbot (store "
                f"layout {meta.get(_META_SCHEMA, 1)}, now {SCHEMA}); rebuild it: "
                "newsbot ingest --rebuild PATH"
            )

    @translate_errors
    def drop(self) -> None:
        """Delete the archive's collections (``--rebuild``)."""
        self._months().drop()
        self._collections.clear()
        for name in (self.name, self.name + _ARTICLES_SUFFIX, self.name + _KEYS_SUFFIX):
            with contextlib.suppress(NotFoundError, ValueError):
                self.client.delete_collection(name)

    @translate_errors
    def update_metadata(self, **values: Any) -> None:
        col = self._fetch_chunks()
        if col is None:
            return
        merged = dict(col.metadata or {})
        merged.update(values)
        col.modify(metadata=merged)

    def bump_generation(self, **extra: Any) -> None:
        self.update_metadata(**{_META_GENERATION: self.generation() + 1, **extra})

    def mark_ingested(self) -> None:
        """The end of an ingestion: the pending term deltas are folded, the generation bumped."""
        self.fold()
        self.bump_generation(**{_META_LAST_INGEST: datetime.now(UTC).isoformat(timespec="seconds")})

    # -- articles ----------------------------------------------------------------------------------

    @translate_errors
    def articles(self) -> dict[str, ArticleInfo]:
        return {aid: article_from(aid, meta) for aid, meta in self._article_rows()}

    @translate_errors
    def article_roots(self) -> dict[str, str]:
        """Article id -> the ingested root it came from (what ``--prune`` is scoped to)."""
        return {aid: str(meta.get("root", "")) for aid, meta in self._article_rows()}

    def _article_rows(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        articles = self._articles()
        offset = 0
        while True:
            page = articles.get(where={"kind": "article"}, include=["metadatas"], limit=_PAGE, offset=offset)
            for rid, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
                yield rid[len(ARTICLE_PREFIX) :], meta or {}
            if len(page["ids"]) < _PAGE:
                return
            offset += _PAGE

    def _article_records(self, article_ids: Sequence[str]) -> dict[str, Mapping[str, Any]]:
        """The records of those articles that exist (visible or being written), by article id."""
        found: dict[str, Mapping[str, Any]] = {}
        ids = [ARTICLE_PREFIX + a for a in dict.fromkeys(article_ids)]
        for i in range(0, len(ids), _PAGE):
            got = self._articles().get(ids=ids[i : i + _PAGE], include=["metadatas"])
            for rid, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                found[rid[len(ARTICLE_PREFIX) :]] = meta or {}
        return found

    @translate_errors
    def article_infos(self, article_ids: Sequence[str]) -> dict[str, ArticleInfo]:
        """The visible ones of these articles, by id."""
        return {
            aid: article_from(aid, meta)
            for aid, meta in self._article_records(article_ids).items()
            if meta.get("kind") == "article"
        }

    @translate_errors
    def ingested_after(self, since: float) -> list[ArticleInfo]:
        """The visible articles switched in after ``since`` (epoch seconds), earliest first: what is new
        to the archive, whichever process ingested it (a ``$gt`` read of the article records)."""
        clause: Any = {"$and": [{"kind": "article"}, {"ingested": {"$gt": since}}]}
        infos: list[ArticleInfo] = []
        offset = 0
        while True:
            page = self._articles().get(where=clause, include=["metadatas"], limit=_PAGE, offset=offset)
            for rid, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
                infos.append(article_from(rid[len(ARTICLE_PREFIX) :], meta or {}))
            if len(page["ids"]) < _PAGE:
                return sorted(infos, key=lambda a: a.ingested or 0.0)
            offset += _PAGE

    @translate_errors
    def versions(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The visible version of each of these articles that the archive holds."""
        return {
            aid: str(meta.get("version"))
            for aid, meta in self._article_records(article_ids).items()
            if meta.get("kind") == "article"
        }

    @translate_errors
    def stories_of(self, infos: Sequence[ArticleInfo]) -> dict[str, Story]:
        """The story of each of these visible articles (their records, as :meth:`article_infos` reads
        them), with all its visible articles (:mod:`retrieval.store.stories`: the stories' member
        records and their articles' records, by id)."""
        return Stories(self._articles(), self._batch()).of(infos)

    # -- statistics --------------------------------------------------------------------------------

    @translate_errors
    def archive_stats(self) -> ArchiveStats:
        """The archive's figures, as ingestion keeps them (one small read)."""
        got = self._articles().get(ids=[STATS_ID], include=["metadatas"])
        metas = got["metadatas"] or []
        return ArchiveStats.from_metadata(metas[0] if got["ids"] and metas else None)

    @translate_errors
    def document_frequencies(self, terms: Sequence[str], stats: ArchiveStats | None = None) -> dict[str, int]:
        """In how many visible chunks each term occurs (absent terms occur in none): the term records
        and the pending deltas they have not seen (those ``stats`` lists, read afresh when not given)."""
        if not terms:
            return {}
        unique = list(dict.fromkeys(terms))
        pending = self._pending_deltas((stats or self.archive_stats()).pending)
        records = self._term_records(unique)
        counts = {t: folded_count(*records.get(t, (0, 0)), t, pending) for t in unique}
        return {t: n for t, n in counts.items() if n > 0}

    def _term_records(self, terms: Sequence[str]) -> dict[str, tuple[int, int]]:
        """Term -> (count, the last delta sequence number folded into it), for terms that have a record."""
        found: dict[str, tuple[int, int]] = {}
        ids = [TERM_PREFIX + t for t in terms]
        for i in range(0, len(ids), _PAGE):
            got = self._articles().get(ids=ids[i : i + _PAGE], include=["metadatas"])
            for rid, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                meta = meta or {}
                found[rid[len(TERM_PREFIX) :]] = (int(str(meta.get("df", 0))), int(str(meta.get("seq", 0))))
        return found

    def _pending_deltas(self, ids: Sequence[str]) -> list[TermDelta]:
        """The pending term deltas with these ids (each read once per process: a delta never changes);
        one folded and deleted since the ids were listed is left out (the term records hold it)."""
        with self._deltas_lock:
            missing = [i for i in ids if i not in self._deltas]
            if missing:
                got = self._articles().get(ids=missing, include=["metadatas"])
                for rid, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                    self._deltas[rid] = TermDelta.from_metadata(meta or {})
                for rid in missing:
                    self._deltas.setdefault(rid, None)
            self._deltas = {i: self._deltas[i] for i in ids}
            return [d for d in self._deltas.values() if d is not None]

    def _stats_records(self, delta: StatsDelta) -> tuple[list[str], list[dict[str, Any]]]:
        """The records that apply ``delta``: the statistics record and the write's term delta record."""
        stats = self.archive_stats()
        changed = {t: n for t, n in sorted(delta.terms.items()) if n}
        if not changed:
            return [STATS_ID], [stats.applied(delta).to_metadata()]
        seq = stats.seq + 1
        rid = f"{DELTA_PREFIX}{seq}:{uuid.uuid4().hex[:8]}"
        applied = stats.applied(delta, pending=(*stats.pending, rid), seq=seq)
        return [STATS_ID, rid], [applied.to_metadata(), TermDelta(seq, changed).to_metadata()]

    @translate_errors
    def fold(self) -> None:
        """Fold the pending term deltas into the term records. Each step leaves correct counts behind
        (:func:`~retrieval.store.statistics.folded_count`): the term records first (each marked with the
        last sequence number it has seen), then the statistics record's pending list, then the deltas and
        the records of terms that no chunk holds any more are deleted."""
        stats = self.archive_stats()
        if not stats.pending:
            return
        articles = self._articles()
        deltas = self._pending_deltas(stats.pending)
        terms = sorted({t for d in deltas for t in d.terms})
        records = self._term_records(terms)
        counts = {t: folded_count(*records.get(t, (0, 0)), t, deltas) for t in terms}
        self._upsert(
            articles,
            [TERM_PREFIX + t for t in counts],
            [{"kind": "term", "df": max(n, 0), "seq": stats.seq} for n in counts.values()],
        )
        self._upsert(articles, [STATS_ID], [replace(stats, pending=()).to_metadata()])
        gone = [TERM_PREFIX + t for t, n in counts.items() if n <= 0] + list(stats.pending)
        for i in range(0, len(gone), self._batch()):
            articles.delete(ids=gone[i : i + self._batch()])
        self.bump_generation()  # readers drop the folded deltas from their figures

    # -- writing -----------------------------------------------------------------------------------

    @translate_errors
    def write(self, writes: Sequence[ArticleWrite]) -> int:
        """Replace the given articles by their new versions, crash-safely (see the module docstring)."""
        if not writes:
            return 0
        most = self._batch() - 2  # the switch is one upsert: these articles, the statistics, the delta
        if len(writes) > most:
            return sum(self.write(writes[i : i + most]) for i in range(0, len(writes), most))
        col = self._live_chunks()
        articles = self._articles()
        old = self._article_records([w.info.id for w in writes])
        self._mark_writing(articles, writes, old)
        self._write_chunks(col, writes)
        delta = StatsDelta()
        new_chunks = [c for w in writes for c in w.chunks]
        rows = [np.asarray(w.vectors, dtype=np.float32) for w in writes if len(w.chunks)]
        vectors = np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)
        delta.add(new_chunks, vectors, sign=1, articles=len(writes))  # one pass: moments cost per call
        delta.add_outlets((w.info.source for w in writes), 1)
        self._count_out(
            col, delta, [dict(old[w.info.id]) | {"id": w.info.id} for w in writes if _visible(old, w)]
        )
        ids, metas = self._stats_records(delta)
        switched = [replace(w.info, ingested=time.time()) for w in writes]  # when: what follows watch
        stories = Stories(articles, self._batch())
        switched = stories.file(switched, [article_text(w.chunks) for w in writes])
        stories.leave(_departed(old, {i.id: i.story for i in switched}))
        ids += [ARTICLE_PREFIX + w.info.id for w in writes]
        metas += [article_metadata(i, w.root, writing=True) for i, w in zip(switched, writes, strict=True)]
        self._upsert(articles, ids, metas)
        self._delete_other_versions(col, {w.info.id: w.info.content_hash for w in writes if w.info.id in old})
        self._upsert(
            articles,
            [ARTICLE_PREFIX + w.info.id for w in writes],
            [article_metadata(i, w.root, writing=False) for i, w in zip(switched, writes, strict=True)],
        )
        self.bump_generation()  # other processes re-read the figures (date range, outlets) at once
        self._fold_when_due()
        return sum(len(w.chunks) for w in writes)

    def _fold_when_due(self) -> None:
        if len(self.archive_stats().pending) >= FOLD_AFTER:
            self.fold()

    def _mark_writing(
        self, articles: Collection, writes: Sequence[ArticleWrite], old: Mapping[str, Mapping[str, Any]]
    ) -> None:
        metas = [
            dict(old[w.info.id]) | {"writing": True}
            if w.info.id in old
            else article_metadata(w.info, w.root, kind="pending", writing=True)
            for w in writes
        ]
        self._upsert(articles, [ARTICLE_PREFIX + w.info.id for w in writes], metas)

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
        self._postings().change(add=by_key(filed), drop={})  # filed before they are visible
        batch = self._batch()
        for i in range(0, len(ids), batch):
            col.upsert(
                ids=ids[i : i + batch],
                documents=docs[i : i + batch],
                metadatas=metas[i : i + batch],
                embeddings=np.asarray(vectors[i : i + batch], dtype=np.float32),
            )
        if self._has_months(col):
            self._months().add(ids, vectors, metas)

    def _count_out(self, col: Collection, delta: StatsDelta, records: Sequence[Mapping[str, Any]]) -> None:
        """Count the visible chunks of these article records out of ``delta`` (they are being replaced or
        removed)."""
        if not records:
            return
        ids = [chunk_id(str(r["id"]), str(r["version"]), i) for r in records for i in range(int(r["chunks"]))]
        for i in range(0, len(ids), self._batch()):
            got = col.get(ids=ids[i : i + self._batch()], include=["documents", "metadatas", "embeddings"])
            chunks = [
                chunk_from(d, m or {})
                for d, m in zip(got["documents"] or [], got["metadatas"] or [], strict=True)
            ]
            vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(chunks), -1)
            delta.add(chunks, vectors, sign=-1, articles=0)
        delta.articles -= len(records)
        delta.add_outlets((r.get("source") for r in records), -1)

    def _delete_other_versions(self, col: Collection, keep: Mapping[str, str]) -> None:
        """Delete chunks (and their keys) of these articles whose version is not the one to keep."""
        for aid, version in keep.items():
            clause: Any = {"$and": [{"article_id": aid}, {"version": {"$ne": version}}]}
            stale = col.get(where=clause, include=["documents", "metadatas"])
            if stale["ids"]:
                self._unindex(col, stale)
                col.delete(ids=stale["ids"])

    def _unindex(self, col: Collection, chunks: Any) -> None:
        """Take these chunks (a ``get`` with their documents and metadata), about to be deleted, out of
        the month index and the name index."""
        if self._has_months(col):
            self._months().remove(chunks["ids"], chunks["metadatas"] or [])
        self._unfile(chunks["ids"], chunks["documents"] or [])

    def _unfile(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        """Take these chunks (about to be deleted) out of the name index."""
        if ids:
            self._postings().change(add={}, drop=by_key(zip(ids, map(name_keys, texts), strict=True)))

    @translate_errors
    def remove(self, article_ids: Sequence[str]) -> None:
        """Remove articles: one write takes them out of search and out of the statistics, then their
        chunks and records are deleted."""
        if not article_ids:
            return
        most = self._batch() - 2  # as in write(): the switch is one upsert
        if len(article_ids) > most:
            for i in range(0, len(article_ids), most):
                self.remove(article_ids[i : i + most])
            return
        articles = self._articles()
        old = self._article_records(article_ids)
        col = self._chunks()
        delta = StatsDelta()
        visible = [dict(m) | {"id": aid} for aid, m in old.items() if m.get("kind") == "article"]
        if col is not None:
            self._count_out(col, delta, visible)
        ids, metas = self._stats_records(delta)
        ids += [ARTICLE_PREFIX + aid for aid in old]
        metas += [dict(m) | {"kind": "removed", "writing": True} for m in old.values()]
        self._upsert(articles, ids, metas)
        Stories(articles, self._batch()).leave(_departed(old, {}))
        self._delete_articles(list(old))
        self.bump_generation()
        self._fold_when_due()

    def _delete_articles(self, article_ids: Sequence[str]) -> None:
        col = self._chunks()
        for i in range(0, len(article_ids), 500):
            part = list(article_ids[i : i + 500])
            clause: Any = {"article_id": {"$in": part}}
            if col is not None:
                got = col.get(where=clause, include=["documents", "metadatas"])
                self._unindex(col, got)
                col.delete(where=clause)
            self._articles().delete(ids=[p + a for a in part for p in (ARTICLE_PREFIX, FINGERPRINT_PREFIX)])

    @translate_errors
    def sweep(self) -> int:
        """Finish what a killed run left: chunks of versions no record names, half-removed articles.
        Returns how many articles needed it."""
        articles = self._articles()
        got = articles.get(where={"writing": True}, include=["metadatas"])
        col = self._chunks()
        unfinished = [
            (rid[len(ARTICLE_PREFIX) :], m or {})
            for rid, m in zip(got["ids"], got["metadatas"] or [], strict=True)
        ]
        gone = [aid for aid, m in unfinished if m.get("kind") in ("pending", "removed")]
        self._delete_articles(gone)
        kept = {aid: str(m.get("version")) for aid, m in unfinished if m.get("kind") == "article"}
        if col is not None and kept:
            self._delete_other_versions(col, kept)
        if kept:
            self._upsert(
                articles,
                [ARTICLE_PREFIX + aid for aid in kept],
                [dict(m) | {"writing": False} for aid, m in unfinished if aid in kept],
            )
        pending = set(self.archive_stats().pending)
        orphans = [i for i in articles.get(where={"kind": "delta"}, include=[])["ids"] if i not in pending]
        if orphans:  # a fold killed after it cleared the pending list
            articles.delete(ids=orphans)
        return len(unfinished)

    def _upsert(self, col: Collection, ids: Sequence[str], metas: Sequence[Mapping[str, Any]]) -> None:
        """Upsert records that carry no vector of their own, in one call where Chroma allows."""
        upsert_without_vectors(col, ids, metas, self._batch())

    def _batch(self) -> int:
        return max(1, self.client.get_max_batch_size())

    # -- reading -----------------------------------------------------------------------------------

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
        """The ``n`` nearest chunks (visible or not: see :meth:`visible`), best first, with their cosine
        similarity, within the filters and, when given, the ``articles``.

        The store applies the filters. A date range over at most :data:`~retrieval.store.months.MAX_MONTHS`
        months is searched in the month index, one month's collection at a time (the days at the ends
        and the outlets filtered there), and the texts read by id; a longer one, and outlets alone, by
        the chunk collection's ``where``. Given articles are read whole and ranked here (a ``where`` on
        a few articles walks the whole graph). ``stats``: the archive's figures (which months hold
        chunks), read when not given."""
        col = self._chunks()
        if col is None or n <= 0:
            return []
        filters = filters or SearchFilters()
        if articles:
            return self._nearest_in(articles, vector, n, filters)
        ranged = filters.since is not None or filters.until is not None
        if ranged or stats is not None:
            stats = stats or self.archive_stats()
        first, last = stats.date_range if stats is not None else (None, None)
        if ranged and stats is not None and self._has_months(col):
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
        hits = self._months().nearest(vector, n, clauses)
        read = self.chunks([cid for cid, _ in hits])
        return [replace(read[cid], similarity=1.0 - dist) for cid, dist in hits if cid in read]

    def _nearest_in(
        self, articles: Sequence[str], vector: np.ndarray, n: int, filters: SearchFilters
    ) -> list[StoredChunk]:
        """The ``n`` nearest of the visible chunks of these articles within ``filters``, ranked here."""
        ids = [
            chunk_id(aid, str(meta["version"]), i)
            for aid, meta in self._article_records(articles).items()
            if meta.get("kind") == "article"
            for i in range(int(meta.get("chunks", 0)))
        ]
        found = [
            c
            for i in range(0, len(ids), _PAGE)
            for c in self.chunks(ids[i : i + _PAGE], vectors=True).values()
            if filters.empty or filters.matches(c.chunk)
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
        return self._postings().lookup(keys, limit)

    @translate_errors
    def matching(
        self, pattern: str, filters: SearchFilters | None = None, *, page: int = MATCHING_PAGE
    ) -> Iterator[StoredChunk]:
        """The chunks within ``filters`` whose text matches ``pattern`` (Chroma's ``$regex``, Rust
        syntax), visible or not (see :meth:`visible`), read ``page`` at a time.

        Chroma answers it itself: its full-text index narrows a pattern with letters to look up, one
        without is a scan on its side (on a 20,000-chunk store a name's ten chunks take 0.04 s, a word
        in 10,000 chunks 2 s, about what reading every chunk costs). Pages are read by offset, so chunks
        written meanwhile may be missed or met twice (callers count articles, not chunks). A journalist's
        command (``/timeline``), not the path of a question."""
        col = self._chunks()
        if col is None:
            return
        first, last = self.archive_stats().date_range
        clause = where(filters, first, last)
        options: dict[str, Any] = {"where": clause} if clause is not None else {}
        offset = 0
        while True:
            got = col.get(
                where_document={"$regex": pattern},
                include=["documents", "metadatas"],
                limit=page,
                offset=offset,
                **options,
            )
            rows = zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
            for cid, doc, meta in rows:
                if meta:
                    yield StoredChunk(cid, chunk_from(doc, meta), str(meta.get("version")))
            if len(got["ids"]) < page:
                return
            offset += page

    @translate_errors
    def chunks(self, ids: Sequence[str], *, vectors: bool = False) -> dict[str, StoredChunk]:
        """The chunks with these ids that exist, by id (a neighbour past an article's end does not)."""
        col = self._chunks()
        if col is None or not ids:
            return {}
        include: list[Any] = ["documents", "metadatas", *(["embeddings"] if vectors else [])]
        got = col.get(ids=list(dict.fromkeys(ids)), include=include)
        embeddings = got.get("embeddings")
        rows = np.asarray(embeddings, dtype=np.float32) if embeddings is not None else None
        return {
            cid: StoredChunk(
                cid,
                chunk_from(doc, meta or {}),
                str((meta or {}).get("version")),
                sparse_from(meta or {}),
                rows[i] if rows is not None else None,
            )
            for i, (cid, doc, meta) in enumerate(
                zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True)
            )
        }

    def article_chunks(self, info: ArticleInfo) -> list[StoredChunk]:
        """The chunks of the version of an article that ``info`` describes (as :meth:`ingested_after`
        read it), in order, with their dense vectors: one read by id. None are left when that version
        has been replaced or removed since."""
        ids = [chunk_id(info.id, info.content_hash, i) for i in range(info.chunks)]
        found = self.chunks(ids, vectors=True)
        return [found[cid] for cid in ids if cid in found]

    @translate_errors
    def visible_chunks(self) -> Iterator[tuple[str, Chunk]]:
        """Every chunk that search may return, with its id: a read of the whole collection, for checks
        and maintenance (search never reads the archive whole)."""
        col = self._chunks()
        if col is None:
            return
        versions = {aid: str(m.get("version")) for aid, m in self._article_rows()}
        offset = 0
        while True:
            page = col.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)
            for cid, doc, meta in zip(
                page["ids"], page["documents"] or [], page["metadatas"] or [], strict=True
            ):
                if meta and versions.get(str(meta.get("article_id"))) == meta.get("version"):
                    yield cid, chunk_from(doc, meta)
            if len(page["ids"]) < _PAGE:
                return
            offset += _PAGE

    @translate_errors
    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The dense vectors of these chunks, by id (one read, no texts)."""
        col = self._chunks()
        if col is None or not ids:
            return {}
        got = col.get(ids=list(dict.fromkeys(ids)), include=["embeddings"])
        rows = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1)
        return dict(zip(got["ids"], rows, strict=True))

    def visible(self, found: Sequence[StoredChunk]) -> list[StoredChunk]:
        """Those of ``found`` that search may show: their article's record names their version."""
        versions = self.versions(sorted({c.chunk.article_id for c in found}))
        return [c for c in found if versions.get(c.chunk.article_id) == c.version]

    @translate_errors
    def count_chunks(self) -> int:
        col = self._chunks()
        return col.count() if col is not None else 0

    def stats(self) -> StoreStats:
        figures = self.archive_stats()
        since, until = figures.date_range
        meta = self.metadata()
        return StoreStats(
            articles=figures.articles,
            chunks=figures.chunks,
            min_date=since,
            max_date=until,
            sources=dict(
                sorted(((s or "unknown", n) for s, n in figures.sources.items()), key=lambda x: -x[1])
            ),
            embedding=str(meta.get(_META_EMBEDDING, "")),
            location=self.location,
            last_ingest=meta.get(_META_LAST_INGEST),
        )


def _visible(old: Mapping[str, Mapping[str, Any]], w: ArticleWrite) -> bool:
    """Whether the article being written has a visible version now (to be counted out)."""
    meta = old.get(w.info.id)
    return meta is not None and meta.get("kind") == "article"


def _departed(old: Mapping[str, Mapping[str, Any]], now: Mapping[str, str]) -> dict[str, list[str]]:
    """The articles of these records (by id) that leave the story they were filed in, by its label: all
    of them, but those whose story ``now`` names the same."""
    out: dict[str, list[str]] = {}
    for aid, m in old.items():
        label = str(m.get("story") or "")
        if label and now.get(aid) != label:
            out.setdefault(label, []).append(aid)
    return out
