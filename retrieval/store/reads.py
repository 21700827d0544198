"""Reading records from a collection: Chroma's ``get`` results as rows, a page or a batch of ids at a time.

Every read of the store that walks a collection page by page goes through :func:`read_pages` (or
:func:`pages`, for other paged calls), and every read of records by id through :func:`read_by_ids`, so
that Chroma's column-wise result dicts are turned into rows here alone.

Pages are read by offset: records written meanwhile may be missed or met twice, so callers that page
count what they read by a key of their own (articles, ids), never by rows. A read by ids asks for each id
once and returns the records that exist, in Chroma's order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

import numpy as np
from chromadb.api.models.Collection import Collection

_T = TypeVar("_T")


class Row(NamedTuple):
    """One record as Chroma's ``get`` returns it; what was not asked for (``include``) is None."""

    id: str
    document: str | None
    metadata: Mapping[str, Any]
    """The record's metadata ({} when it has none)."""
    embedding: np.ndarray | None
    """Its vector as float32, with ``include=["embeddings"]``."""


def rows(got: Mapping[str, Any]) -> list[Row]:
    """The rows of a ``get`` result."""
    ids = got["ids"]
    documents = got.get("documents") or [None] * len(ids)
    metadatas = got.get("metadatas") or [None] * len(ids)
    embeddings = got.get("embeddings")
    vectors = (
        np.asarray(embeddings, dtype=np.float32).reshape(len(ids), -1)
        if embeddings is not None and len(ids)
        else [None] * len(ids)
    )
    return [
        Row(rid, doc, meta or {}, vector)
        for rid, doc, meta, vector in zip(ids, documents, metadatas, vectors, strict=True)
    ]


def pages(read: Callable[[int, int], Sequence[_T]], size: int) -> Iterator[Sequence[_T]]:
    """``read(limit, offset)`` called ``size`` at a time from offset 0, each answer yielded, until one
    holds fewer than ``size``."""
    offset = 0
    while True:
        page = read(size, offset)
        yield page
        if len(page) < size:
            return
        offset += size


def read_pages(
    col: Collection,
    size: int,
    *,
    include: Sequence[Any],
    where: Mapping[str, Any] | None = None,
    where_document: Mapping[str, Any] | None = None,
) -> Iterator[Row]:
    """The records of ``col`` (those matching ``where`` and ``where_document`` when given), read ``size``
    a page, lazily: a page is read when the previous one has been consumed."""
    options: dict[str, Any] = {}
    if where is not None:
        options["where"] = where
    if where_document is not None:
        options["where_document"] = where_document

    def read(limit: int, offset: int) -> list[Row]:
        return rows(col.get(include=list(include), limit=limit, offset=offset, **options))

    for page in pages(read, size):
        yield from page


def read_by_ids(
    col: Collection, ids: Sequence[str], size: int, *, include: Sequence[Any]
) -> Iterator[list[Row]]:
    """The records of ``col`` with these ids that exist, each id asked for once, ``size`` ids a read:
    each read's rows, as they come."""
    unique = list(dict.fromkeys(ids))
    for i in range(0, len(unique), size):
        yield rows(col.get(ids=unique[i : i + size], include=list(include)))
