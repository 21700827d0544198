"""The one place that sees Chroma: write, delete, search and describe the archive's chunks.

Two collections per archive: ``<name>`` holds the chunks and their vectors; ``<name>-articles`` holds one
record per article (its content version, chunk count, title, date…): the *manifest*. An article's chunks
are visible to search only while their ``version`` equals the manifest's, which makes an update safe
against a crash at any point:

1. the new version's chunks are written (invisible: the manifest still names the old version);
2. the manifest record is switched to the new version (one upsert: the article flips at once);
3. the old version's chunks are deleted.

Chunks of versions the manifest does not name (left by a killed run) are swept at the next ingestion.
The collection's metadata records the embedding model, a generation counter (bumped on every change, so
that caches such as the lexical index know when to rebuild) and the ingestion lock for server mode.
"""

from __future__ import annotations

import os

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import base64
import contextlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.errors import NotFoundError

from retrieval.errors import EmbeddingMismatch, StoreError
from retrieval.records import (
    ArticleInfo,
    Chunk,
    Passage,
    SearchFilters,
    SparseVector,
    StoreStats,
    day_from_number,
    day_number,
)
from retrieval.store.client import check_name, make_client, translate_errors

P = ParamSpec("P")
R = TypeVar("R")

SCHEMA = 1
_MANIFEST_SUFFIX = "-articles"
_PAGE = 5000
_META_EMBEDDING = "newsbot_embedding"
_META_DIM = "newsbot_dim"
_META_SCHEMA = "newsbot_schema"
_META_GENERATION = "newsbot_generation"
_META_LAST_INGEST = "newsbot_last_ingest"
_MANIFEST_VECTOR = [1.0]  # the manifest is never searched by similarity; Chroma wants a vector anyway


def chunk_id(article_id: str, version: str, index: int) -> str:
    return f"{article_id}|{version}|{index}"


def encode_sparse(v: SparseVector) -> str:
    """A sparse vector as a compact string for chunk metadata: indices and float16 weights, base64."""
    wide = v.indices.size and int(v.indices.max()) > 0xFFFF
    idx = v.indices.astype("<i4" if wide else "<u2").tobytes()
    val = v.values.astype("<f2").tobytes()
    return f"{'i4' if wide else 'u2'}:{base64.b64encode(idx).decode()}:{base64.b64encode(val).decode()}"


def decode_sparse(text: str) -> SparseVector:
    kind, idx, val = text.split(":")
    indices = np.frombuffer(base64.b64decode(idx), dtype="<i4" if kind == "i4" else "<u2").astype(np.int32)
    values = np.frombuffer(base64.b64decode(val), dtype="<f2").astype(np.float32)
    return SparseVector(indices, values)


def _chunk_metadata(chunk: Chunk, version: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "article_id": chunk.article_id,
        "version": version,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "title": chunk.title,
    }
    if chunk.date:
        meta["date"] = chunk.date.isoformat()
        meta["day"] = day_number(chunk.date)
    if chunk.url:
        meta["url"] = chunk.url
    if chunk.source:
        meta["source"] = chunk.source
    return meta


def _chunk_from(document: str | None, meta: Mapping[str, Any]) -> Chunk:
    day = meta.get("day")
    return Chunk(
        article_id=str(meta["article_id"]),
        index=int(meta["index"]),
        text=document or "",
        start=int(meta["start"]),
        end=int(meta["end"]),
        title=str(meta.get("title", "")),
        date=day_from_number(int(day)) if day is not None else None,
        url=meta.get("url"),
        source=meta.get("source"),
    )


def _info_metadata(info: ArticleInfo, root: str) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "version": info.content_hash,
        "chunks": info.chunks,
        "title": info.title,
        "origin": info.origin,
        "root": root,
    }
    if info.date:
        meta["day"] = day_number(info.date)
    if info.source:
        meta["source"] = info.source
    if info.url:
        meta["url"] = info.url
    return meta


def _info_from(article_id: str, meta: Mapping[str, Any]) -> ArticleInfo:
    day = meta.get("day")
    return ArticleInfo(
        id=article_id,
        content_hash=str(meta["version"]),
        chunks=int(meta["chunks"]),
        title=str(meta.get("title", "")),
        date=day_from_number(int(day)) if day is not None else None,
        source=meta.get("source"),
        url=meta.get("url"),
        origin=str(meta.get("origin", "")),
    )


@dataclass(frozen=True, slots=True)
class StoredChunk:
    """A chunk as the store holds it: its id, the chunk, its sparse vector and (if read) dense vector."""

    id: str
    chunk: Chunk
    sparse: SparseVector | None = None
    vector: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class ArticleWrite:
    """One article's new version: its manifest record, its chunks and their vectors (row per chunk)."""

    info: ArticleInfo
    chunks: Sequence[Chunk]
    vectors: np.ndarray
    root: str = ""
    sparse: Sequence[SparseVector] | None = None


class ChunkStore:
    """An archive's chunks in Chroma. Build with :meth:`open`, or pass a client (tests, other setups)."""

    def __init__(self, client: ClientAPI, name: str, *, location: str = "") -> None:
        check_name(name)
        self.client = client
        self.name = name
        self.location = location or name

    @classmethod
    def open(cls, chroma_url: str | None, data_dir: os.PathLike[str] | str, name: str) -> ChunkStore:
        location = chroma_url or os.fspath(data_dir)
        return cls(make_client(chroma_url, data_dir), name, location=location)

    # -- collections -------------------------------------------------------------------------------

    @translate_errors
    def _chunks(self, create_for: tuple[str, int] | None = None) -> Collection | None:
        try:
            return self.client.get_collection(self.name, embedding_function=None)
        except (NotFoundError, ValueError):
            if create_for is None:
                return None
        model_id, dim = create_for
        return self.client.get_or_create_collection(
            self.name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={_META_EMBEDDING: model_id, _META_DIM: dim, _META_SCHEMA: SCHEMA, _META_GENERATION: 0},
        )

    @translate_errors
    def _manifest(self) -> Collection:
        return self.client.get_or_create_collection(self.name + _MANIFEST_SUFFIX, embedding_function=None)

    def exists(self) -> bool:
        return self._chunks() is not None

    def metadata(self) -> dict[str, Any]:
        col = self._chunks()
        return dict(col.metadata or {}) if col is not None else {}

    def embedding_model(self) -> str | None:
        value = self.metadata().get(_META_EMBEDDING)
        return str(value) if value else None

    def generation(self) -> int:
        """Bumped on every change to the archive: a cheap way for caches to notice other writers."""
        return int(self.metadata().get(_META_GENERATION, 0))

    def ensure(self, model_id: str, dim: int) -> None:
        """Create the collection for ``model_id`` if needed; refuse one made with another model."""
        col = self._chunks(create_for=(model_id, dim))
        assert col is not None
        self.check_model(model_id)

    def check_model(self, model_id: str) -> None:
        stored = self.embedding_model()
        if stored is not None and stored != model_id:
            raise EmbeddingMismatch(
                f"collection {self.name!r} at {self.location} was built with the embedding model "
                f"{stored!r}, but the configured model is {model_id!r}. Either set NEWSBOT_EMBEDDING "
                f"back to the model it was built with, or rebuild it with the new model: "
                f"newsbot ingest --rebuild PATH"
            )

    @translate_errors
    def drop(self) -> None:
        """Delete the archive's collections (``--rebuild``)."""
        for name in (self.name, self.name + _MANIFEST_SUFFIX):
            with contextlib.suppress(NotFoundError, ValueError):
                self.client.delete_collection(name)

    @translate_errors
    def update_metadata(self, **values: Any) -> None:
        col = self._chunks()
        if col is None:
            return
        merged = dict(col.metadata or {})
        merged.update(values)
        col.modify(metadata=merged)

    def bump_generation(self, **extra: Any) -> None:
        self.update_metadata(**{_META_GENERATION: self.generation() + 1, **extra})

    def mark_ingested(self) -> None:
        self.bump_generation(**{_META_LAST_INGEST: datetime.now(UTC).isoformat(timespec="seconds")})

    # -- manifest ----------------------------------------------------------------------------------

    @translate_errors
    def articles(self) -> dict[str, ArticleInfo]:
        return {aid: _info_from(aid, meta) for aid, meta in self._manifest_rows()}

    @translate_errors
    def article_roots(self) -> dict[str, str]:
        """Article id -> the ingested root it came from (what ``--prune`` is scoped to)."""
        return {aid: str(meta.get("root", "")) for aid, meta in self._manifest_rows()}

    def _manifest_rows(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        manifest = self._manifest()
        offset = 0
        while True:
            page = manifest.get(include=["metadatas"], limit=_PAGE, offset=offset)
            for aid, meta in zip(page["ids"], page["metadatas"] or [], strict=True):
                yield aid, meta or {}
            if len(page["ids"]) < _PAGE:
                return
            offset += _PAGE

    @translate_errors
    def versions(self, article_ids: Sequence[str]) -> dict[str, str]:
        if not article_ids:
            return {}
        got = self._manifest().get(ids=list(article_ids), include=["metadatas"])
        return {
            aid: str((m or {}).get("version"))
            for aid, m in zip(got["ids"], got["metadatas"] or [], strict=True)
        }

    # -- writing -----------------------------------------------------------------------------------

    @translate_errors
    def write(self, writes: Sequence[ArticleWrite]) -> int:
        """Replace the given articles by their new versions, crash-safely (see the module docstring)."""
        if not writes:
            return 0
        col = self._chunks()
        if col is None:
            raise StoreError(f"collection {self.name!r} does not exist; call ensure() first")
        ids: list[str] = []
        docs: list[str] = []
        metas: list[Mapping[str, Any]] = []
        vectors: list[np.ndarray] = []
        for w in writes:
            sparse = w.sparse if w.sparse is not None else [None] * len(w.chunks)
            for chunk, vector, sv in zip(w.chunks, w.vectors, sparse, strict=True):
                ids.append(chunk_id(chunk.article_id, w.info.content_hash, chunk.index))
                docs.append(chunk.text)
                meta = _chunk_metadata(chunk, w.info.content_hash)
                if sv is not None:
                    meta["sparse"] = encode_sparse(sv)
                metas.append(meta)
                vectors.append(vector)
        batch = max(1, self.client.get_max_batch_size())
        for i in range(0, len(ids), batch):
            col.upsert(
                ids=ids[i : i + batch],
                documents=docs[i : i + batch],
                metadatas=metas[i : i + batch],
                embeddings=np.asarray(vectors[i : i + batch], dtype=np.float32),
            )
        self._manifest().upsert(
            ids=[w.info.id for w in writes],
            embeddings=np.asarray([_MANIFEST_VECTOR] * len(writes), dtype=np.float32),
            metadatas=[_info_metadata(w.info, w.root) for w in writes],
        )
        keep = {w.info.id: w.info.content_hash for w in writes}
        self._delete_chunks_not_in(col, keep)
        return len(ids)

    def _delete_chunks_not_in(self, col: Collection, keep: Mapping[str, str]) -> None:
        where: Any = {"article_id": {"$in": list(keep)}}
        got = col.get(where=where, include=["metadatas"])
        stale = [
            cid
            for cid, m in zip(got["ids"], got["metadatas"] or [], strict=True)
            if (m or {}).get("version") != keep.get(str((m or {}).get("article_id")))
        ]
        if stale:
            col.delete(ids=stale)

    @translate_errors
    def remove(self, article_ids: Sequence[str]) -> None:
        """Remove articles: manifest first (they vanish from search at once), then their chunks."""
        if not article_ids:
            return
        ids = list(article_ids)
        self._manifest().delete(ids=ids)
        col = self._chunks()
        if col is not None:
            for i in range(0, len(ids), 500):
                where: Any = {"article_id": {"$in": ids[i : i + 500]}}
                col.delete(where=where)

    @translate_errors
    def sweep(self) -> int:
        """Delete chunks that no manifest version names (left by a run that was killed). Returns count."""
        col = self._chunks()
        if col is None:
            return 0
        versions = {aid: str(meta.get("version")) for aid, meta in self._manifest_rows()}
        orphans = [
            cid
            for cid, meta in self._chunk_rows(col, include=["metadatas"])
            if versions.get(str(meta.get("article_id"))) != meta.get("version")
        ]
        for i in range(0, len(orphans), 1000):
            col.delete(ids=orphans[i : i + 1000])
        return len(orphans)

    def _chunk_rows(self, col: Collection, include: list[Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
        for cid, _doc, meta, _vec in self._chunk_pages(col, include):
            yield cid, meta

    def _chunk_pages(
        self, col: Collection, include: list[Any]
    ) -> Iterator[tuple[str, str | None, Mapping[str, Any], np.ndarray | None]]:
        offset = 0
        while True:
            page = col.get(include=include, limit=_PAGE, offset=offset)
            n = len(page["ids"])
            docs: list[str | None] = list(page["documents"] or []) if page.get("documents") else [None] * n
            vectors: list[Any] = [None] * n
            if page.get("embeddings") is not None:
                vectors = list(np.asarray(page["embeddings"], dtype=np.float32))
            for cid, doc, meta, vec in zip(page["ids"], docs, page["metadatas"] or [], vectors, strict=True):
                yield cid, doc, meta or {}, vec
            if n < _PAGE:
                return
            offset += _PAGE

    # -- reading -----------------------------------------------------------------------------------

    def visible_chunks(self) -> Iterator[tuple[str, Chunk]]:
        """Every chunk that search may return, with its id."""
        for row in self.visible_rows():
            yield row.id, row.chunk

    @translate_errors
    def visible_rows(self, *, vectors: bool = False) -> Iterator[StoredChunk]:
        """Every chunk that search may return, with its sparse vector and (if asked) its dense vector:
        what the in-memory indexes are built from."""
        col = self._chunks()
        if col is None:
            return
        versions = {aid: str(meta.get("version")) for aid, meta in self._manifest_rows()}
        include: list[Any] = ["documents", "metadatas", *(["embeddings"] if vectors else [])]
        for cid, doc, meta, vec in self._chunk_pages(col, include):
            if versions.get(str(meta.get("article_id"))) == meta.get("version"):
                sparse = meta.get("sparse")
                yield StoredChunk(cid, _chunk_from(doc, meta), decode_sparse(sparse) if sparse else None, vec)

    @translate_errors
    def search_ids(
        self, vector: np.ndarray, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        """Ids of the ``k`` nearest visible chunks with their cosine similarity, best first."""
        return [(cid, p.score) for cid, p in self._search(vector, k, filters)]

    def search(self, vector: np.ndarray, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        """The ``k`` nearest visible chunks; score is cosine similarity."""
        return [p for _cid, p in self._search(vector, k, filters)]

    @translate_errors
    def _search(self, vector: np.ndarray, k: int, filters: SearchFilters | None) -> list[tuple[str, Passage]]:
        col = self._chunks()
        if col is None or k <= 0:
            return []
        n = k
        while True:
            res = col.query(
                query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
                n_results=n,
                where=_where(filters),
                include=["documents", "metadatas", "distances"],
            )
            ids = res["ids"][0]
            metas = (res["metadatas"] or [[]])[0]
            versions = self.versions(sorted({str(m["article_id"]) for m in metas if m}))
            found = [
                (cid, Passage(_chunk_from(doc, meta), 1.0 - float(dist), "dense"))
                for cid, doc, meta, dist in zip(
                    ids, (res["documents"] or [[]])[0], metas, (res["distances"] or [[]])[0], strict=True
                )
                if meta and versions.get(str(meta["article_id"])) == meta.get("version")
            ]
            if len(found) >= k or len(ids) < n:
                return found[:k]
            n *= 4  # invisible chunks of an interrupted run took places; ask for more

    @translate_errors
    def count_chunks(self) -> int:
        col = self._chunks()
        return col.count() if col is not None else 0

    def stats(self) -> StoreStats:
        infos = self.articles()
        dates = [i.date for i in infos.values() if i.date]
        sources = Counter(i.source or "unknown" for i in infos.values())
        meta = self.metadata()
        return StoreStats(
            articles=len(infos),
            chunks=sum(i.chunks for i in infos.values()),
            min_date=min(dates) if dates else None,
            max_date=max(dates) if dates else None,
            sources=dict(sources.most_common()),
            embedding=str(meta.get(_META_EMBEDDING, "")),
            location=self.location,
            last_ingest=meta.get(_META_LAST_INGEST),
        )


def _where(filters: SearchFilters | None) -> Any:
    """The Chroma ``where`` clause for ``filters`` (None when there is nothing to filter)."""
    if filters is None or filters.empty:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.since is not None:
        clauses.append({"day": {"$gte": day_number(filters.since)}})
    if filters.until is not None:
        clauses.append({"day": {"$lte": day_number(filters.until)}})
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
