"""The month index: a second copy of each dated chunk's vector in a collection of its calendar month
(``<name>-m<YYYYMM>``), so that a date-filtered kNN searches the months in range instead of filtering
the whole archive.

Chroma answers a filtered kNN by collecting the ids that match the ``where`` clause and walking its
HNSW graph among them: the fewer of the archive's chunks the filter keeps, the more of the graph it
walks, and the slower it gets as the archive grows. A month's collection holds only that month's chunks,
so a filter of whole months is a plain kNN there, and a filter of a few days walks a month's graph, not
the archive's (``bench/query.py`` measures a month's filtered search).

A record holds the chunk's id, its vector and the metadata a filter needs (``day``, ``source``); the
text and the rest are read from the chunk collection by id. Ingestion writes a chunk here after its
record in the chunk collection and deletes it here before deleting that record, so that a run killed in
between leaves nothing here that the chunk collection lacks for long (the next run's sweep deletes the
chunks of versions no article names, here too). Visibility is decided by the article records, as for
every candidate.

A month whose last chunk goes (pruned, edited into another month) loses its collection. Every process
keeps the collection objects it fetched, so one deleted (or deleted and made again) by another process
is fetched afresh when Chroma says it no longer exists: a question skips a month that is gone, and a
write makes it again.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.errors import NotFoundError

from retrieval.records import day_number
from retrieval.store.opening import open_collection, vector_index, widen
from retrieval.store.reads import pages
from retrieval.store.schema import is_month_collection, month_collection

_T = TypeVar("_T")
MAX_MONTHS = 12
"""A date range over more months than this is searched in the chunk collection: one kNN per month costs
a round trip each."""
_LISTED = 1000
"""Collections listed per call when the month index looks for its own."""


def month_of(day: int) -> int:
    """``YYYYMM`` of a ``YYYYMMDD`` day number."""
    return day // 100


def record_metadata(meta: Mapping[str, Any]) -> dict[str, Any] | None:
    """What a chunk's month record keeps of its metadata (None: an undated chunk has no month)."""
    if meta.get("day") is None:
        return None
    kept: dict[str, Any] = {"day": int(meta["day"])}
    if meta.get("source"):
        kept["source"] = meta["source"]
    return kept


def by_month(ids: Sequence[str], metas: Sequence[Mapping[str, Any] | None]) -> dict[int, list[int]]:
    """The positions of the dated chunks among ``ids``, by month."""
    out: dict[int, list[int]] = defaultdict(list)
    for i, meta in enumerate(metas):
        if meta and meta.get("day") is not None:
            out[month_of(int(meta["day"]))].append(i)
    return dict(out)


def months_in(since: date, until: date, days: Mapping[int, int]) -> list[int]:
    """The months that hold chunks dated within the range (``days``: the archive's chunks per day)."""
    lo, hi = day_number(since), day_number(until)
    return sorted({month_of(d) for d, n in days.items() if n > 0 and lo <= d <= hi})


def day_clause(since: date, until: date, month: int, days: Mapping[int, int]) -> Any:
    """The ``where`` on ``day`` inside ``month``'s collection for the range, which holds chunks of that
    month (None: the range covers every dated chunk of the month); ``days``: the archive's chunks per
    day."""
    lo, hi = day_number(since), day_number(until)
    held = [d for d, n in days.items() if month_of(d) == month and n > 0]
    inside = sorted(d for d in held if lo <= d <= hi)
    if len(inside) == len(held):
        return None
    return {"day": inside[0]} if len(inside) == 1 else {"day": {"$in": inside}}


class Months:
    """The month collections of one archive."""

    def __init__(self, client: ClientAPI, archive: str, batch: int, kept: dict[str, Collection]) -> None:
        self.client = client
        self.archive = archive
        self.batch = batch
        self._kept = kept  # the store's collection objects (a look-up is a round trip on a server)

    def _collection(self, month: int, *, create: bool) -> Collection | None:
        name = month_collection(self.archive, month)
        col = self._kept.get(name)
        if col is not None:
            return col
        try:
            if create:
                col = open_collection(self.client, name, configuration=vector_index())
            else:
                col = self.client.get_collection(name, embedding_function=None)
        except (NotFoundError, ValueError):
            return None
        self._kept[name] = col
        return col

    def _in(self, month: int, call: Callable[..., _T], *, create: bool, **args: Any) -> _T | None:
        """``call(collection, **args)`` on the month's collection (None when it does not exist and is
        not to be created), fetched afresh if the one kept was deleted since, by this process or
        another."""
        col = self._collection(month, create=create)
        if col is None:
            return None
        try:
            return call(col, **args)
        except NotFoundError:
            self._kept.pop(col.name, None)
            col = self._collection(month, create=create)
            return call(col, **args) if col is not None else None

    def add(
        self, ids: Sequence[str], vectors: Sequence[np.ndarray], metas: Sequence[Mapping[str, Any]]
    ) -> None:
        """File these chunks (their vectors and filter metadata) in their months' collections."""
        for month, rows in by_month(ids, metas).items():
            for i in range(0, len(rows), self.batch):
                part = rows[i : i + self.batch]
                self._in(
                    month,
                    Collection.upsert,
                    create=True,
                    ids=[ids[r] for r in part],
                    embeddings=np.asarray([vectors[r] for r in part], dtype=np.float32),
                    metadatas=[record_metadata(metas[r]) or {} for r in part],
                )

    def remove(self, ids: Sequence[str], metas: Sequence[Mapping[str, Any] | None]) -> None:
        """Take these chunks (about to be deleted from the chunk collection) out of their months; a
        month left without chunks loses its collection."""
        for month, rows in by_month(ids, metas).items():
            for i in range(0, len(rows), self.batch):
                part = [ids[r] for r in rows[i : i + self.batch]]
                self._in(month, Collection.delete, create=False, ids=part)
            if self._in(month, Collection.count, create=False) == 0:
                self._drop(month_collection(self.archive, month))

    def nearest(self, vector: np.ndarray, n: int, clauses: Mapping[int, Any]) -> list[tuple[str, float]]:
        """The ``n`` nearest chunks over these months (month -> its ``where`` clause or None), as
        (chunk id, cosine distance), nearest first."""
        found: list[tuple[str, float]] = []
        query = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        for month, clause in clauses.items():
            res = self._in(
                month,
                Collection.query,
                create=False,
                query_embeddings=query,
                n_results=n,
                where=clause,
                include=["distances"],
            )
            if res is not None:
                found += zip(res["ids"][0], (res["distances"] or [[]])[0], strict=True)
        return sorted(found, key=lambda hit: hit[1])[:n]

    def drop(self) -> None:
        """Delete every month collection of the archive."""
        for name in self.names():
            self._drop(name)

    def _drop(self, name: str) -> None:
        with contextlib.suppress(NotFoundError, ValueError):
            self.client.delete_collection(name)
        self._kept.pop(name, None)

    def widen(self) -> None:
        """Widen the HNSW search of the month collections created before :data:`EF_SEARCH`."""
        for col in self._listed():
            widen(col)

    def names(self) -> list[str]:
        return [c.name for c in self._listed()]

    def _listed(self) -> list[Collection]:
        def listed(limit: int, offset: int) -> Sequence[Collection]:
            return self.client.list_collections(limit=limit, offset=offset)

        return [
            c for page in pages(listed, _LISTED) for c in page if is_month_collection(self.archive, c.name)
        ]
