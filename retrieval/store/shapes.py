"""Chroma's shapes <-> the project's records: chunk and article metadata, sparse vectors, filters.

Pure functions; nothing here talks to Chroma. The records these shapes belong to are listed in
:mod:`retrieval.store.schema`.
"""

from __future__ import annotations

import base64
import calendar
import json
import zlib
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from retrieval.records import ArticleInfo, Chunk, SearchFilters, SparseVector, day_from_number, day_number
from retrieval.store.schema import ENTITIES_FIELD, Kind


def chunk_id(article_id: str, version: str, index: int) -> str:
    return f"{article_id}|{version}|{index}"


def article_of(chunk: str) -> str:
    """The article id in a chunk id (:func:`chunk_id`)."""
    return chunk.rsplit("|", 2)[0]


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


def chunk_metadata(chunk: Chunk, version: str, sparse: SparseVector | None) -> dict[str, Any]:
    """What a chunk carries besides its text and vector. ``day``, ``month`` and ``year`` are integers
    (``YYYYMMDD``, ``YYYYMM``, ``YYYY``) so that date filters are equality lookups (see :func:`where`)."""
    meta: dict[str, Any] = {
        "article_id": chunk.article_id,
        "version": version,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
        "title": chunk.title,
    }
    if chunk.date:
        meta["day"] = day_number(chunk.date)
        meta["month"] = chunk.date.year * 100 + chunk.date.month
        meta["year"] = chunk.date.year
    if chunk.url:
        meta["url"] = chunk.url
    if chunk.source:
        meta["source"] = chunk.source
    if sparse is not None:
        meta["sparse"] = encode_sparse(sparse)
    return meta


def day_from(meta: Mapping[str, Any], key: str = "day") -> date | None:
    """The date a record's ``key`` names as a day number (``YYYYMMDD``: :func:`day_number`); None when
    the record has none."""
    day = meta.get(key)
    return day_from_number(int(day)) if day is not None else None


def chunk_from(document: str | None, meta: Mapping[str, Any]) -> Chunk:
    return Chunk(
        article_id=str(meta["article_id"]),
        index=int(meta["index"]),
        text=document or "",
        start=int(meta["start"]),
        end=int(meta["end"]),
        title=str(meta.get("title", "")),
        date=day_from(meta),
        url=meta.get("url"),
        source=meta.get("source"),
    )


def sparse_from(meta: Mapping[str, Any]) -> SparseVector | None:
    text = meta.get("sparse")
    return decode_sparse(str(text)) if text else None


def article_metadata(
    info: ArticleInfo, root: str, *, kind: str = Kind.ARTICLE, writing: bool
) -> dict[str, Any]:
    """An article record (``a:<id>``) of ``kind`` (``article``, ``pending`` or ``removed``)."""
    meta: dict[str, Any] = {
        "kind": kind,
        "writing": writing,
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
    if info.ingested is not None:
        meta["ingested"] = info.ingested
    if info.story:
        meta["story"] = info.story
    return meta


def article_from(article_id: str, meta: Mapping[str, Any]) -> ArticleInfo:
    return ArticleInfo(
        id=article_id,
        content_hash=str(meta["version"]),
        chunks=int(meta["chunks"]),
        title=str(meta.get("title", "")),
        date=day_from(meta),
        source=meta.get("source"),
        url=meta.get("url"),
        origin=str(meta.get("origin", "")),
        ingested=float(meta["ingested"]) if meta.get("ingested") is not None else None,
        story=str(meta.get("story", "")),
        entities=entity_ids(meta),
    )


def entity_ids(meta: Mapping[str, Any]) -> tuple[str, ...]:
    """The entities an article record is filed under (:data:`~retrieval.store.schema.ENTITIES_FIELD`)."""
    raw = meta.get(ENTITIES_FIELD)
    try:
        ids = json.loads(raw) if isinstance(raw, str) else []
    except ValueError:
        return ()
    return tuple(str(i) for i in ids) if isinstance(ids, list) else ()


def where(filters: SearchFilters | None, first: date | None = None, last: date | None = None) -> Any:
    """The Chroma ``where`` clause for ``filters`` (None when there is nothing to filter).

    A date range becomes equality lookups, which the store answers from its index (a range comparison
    scans): whole years by ``year``, whole months by ``month``, the days at the ends by ``day``. Open
    ends are closed at the archive's first and last day (``first``, ``last``)."""
    if filters is None or filters.empty:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.since is not None or filters.until is not None:
        since = filters.since or first
        until = filters.until or last
        if since is None or until is None or since > until:
            clauses.append({"day": -1})  # nothing is dated in an empty range
        else:
            clauses.append(_date_clause(since, until))
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _date_clause(since: date, until: date) -> dict[str, Any]:
    """Whole years, whole months, then single days from ``since`` to ``until`` (any days of the
    calendar: the last, 9999-12-31, ends the walk instead of overflowing past it)."""
    years: list[int] = []
    months: list[int] = []
    days: list[int] = []
    d: date | None = since
    while d is not None and d <= until:
        year_end = date(d.year, 12, 31)
        if d == date(d.year, 1, 1) and year_end <= until:
            years.append(d.year)
            d = _day_after(year_end)
            continue
        month_end = date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
        if d.day == 1 and month_end <= until:
            months.append(d.year * 100 + d.month)
            d = _day_after(month_end)
            continue
        days.append(day_number(d))
        d = _day_after(d)
    parts: list[dict[str, Any]] = []
    for key, values in (("year", years), ("month", months), ("day", days)):
        if values:
            parts.append({key: {"$in": values}} if len(values) > 1 else {key: values[0]})
    return parts[0] if len(parts) == 1 else {"$or": parts}


def _day_after(day: date) -> date | None:
    """The next day; None after the calendar's last."""
    return None if day == date.max else day + timedelta(days=1)


def placeholders(ids: Sequence[str]) -> np.ndarray:
    """A distinct, stable one-dimensional vector per record id, for records that carry no vector of
    their own (Chroma wants one; a graph of equal vectors makes its writes twice as slow)."""
    return np.array([[zlib.crc32(i.encode()) / 2**32] for i in ids], dtype=np.float32)
