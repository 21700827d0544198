"""The name index: for each key (a name, number or rarer word: :func:`retrieval.terms.name_keys`), the
ids of the chunks that mention it, one record per key in the ``<name>-keys`` collection.

A question's keys are read by record id, which the store answers from its primary index whatever the
archive's size (a ``$contains`` filter over per-chunk key lists would be a scan, growing with the
archive).

A posting list keeps at most :data:`POSTINGS_MAX` chunk ids: search only looks up keys in at most a
few hundred chunks (more common ones are left to dense search), so the ids past the cap are never
needed. Only ingestion writes the index (one ingestion at a time holds the store's lock); ids are
filed before their chunks become visible and unfiled before they are deleted, so that a run killed
in between leaves at most ids of chunks that are not there, which a read skips.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from chromadb.api.models.Collection import Collection

from retrieval.store.client import update_records, upsert_without_vectors
from retrieval.store.reads import read_by_ids
from retrieval.store.schema import POSTING_PREFIX

POSTINGS_MAX = 1000
"""Chunk ids kept per key (search reads keys in at most ``SearchConfig.key_df_max`` chunks)."""
_READ = 2000


def _record_id(key: str) -> str:
    return POSTING_PREFIX + key


def posting_metadata(ids: Sequence[str]) -> dict[str, Any]:
    return {"ids": json.dumps(list(ids), ensure_ascii=False)}


def posting_ids(meta: Mapping[str, Any] | None) -> list[str]:
    text = (meta or {}).get("ids")
    return [str(i) for i in json.loads(text)] if isinstance(text, str) and text else []


def refiled(current: Sequence[str], add: Iterable[str], drop: Iterable[str]) -> list[str]:
    """``current`` without ``drop``, then ``add`` appended (each id once), at most POSTINGS_MAX."""
    gone = set(drop)
    out = [i for i in dict.fromkeys(current) if i not in gone]
    have = set(out)
    for i in add:
        if len(out) >= POSTINGS_MAX:
            break
        if i not in have and i not in gone:
            out.append(i)
            have.add(i)
    return out


class Postings:
    """The name index of one archive, over its ``-keys`` collection."""

    def __init__(self, collection: Collection, batch: int) -> None:
        self.collection = collection
        self.batch = batch

    def read(self, keys: Sequence[str]) -> dict[str, list[str]]:
        """Each key's chunk ids (keys no chunk mentions are left out)."""
        ids = [_record_id(k) for k in keys]
        return {
            row.id[len(POSTING_PREFIX) :]: posting_ids(row.metadata)
            for batch in read_by_ids(self.collection, ids, _READ, include=["metadatas"])
            for row in batch
        }

    def lookup(self, keys: Sequence[str], limit: int) -> dict[str, frozenset[str]]:
        """The chunks filed under any of ``keys``, at most ``limit`` of them (rarer keys' first, as the
        keys come): each id with those of ``keys`` it is filed under."""
        if not keys or limit <= 0:
            return {}
        filed: dict[str, set[str]] = defaultdict(set)
        lists = self.read(keys)
        for key in keys:
            for cid in lists.get(key, ()):
                if cid in filed or len(filed) < limit:
                    filed[cid].add(key)
        return {cid: frozenset(found) for cid, found in filed.items()}

    def change(self, add: Mapping[str, Sequence[str]], drop: Mapping[str, Sequence[str]]) -> None:
        """File the ``add`` chunk ids under their keys and unfile the ``drop`` ones (key -> ids); a key
        left with no chunk loses its record."""
        keys = sorted(set(add) | set(drop))
        if not keys:
            return
        current = self.read(keys)
        new: dict[str, Mapping[str, Any]] = {}
        changed: dict[str, Mapping[str, Any]] = {}
        empty: list[str] = []
        for key in keys:
            before = current.get(key, [])
            after = refiled(before, add.get(key, ()), drop.get(key, ()))
            if after == before:
                continue
            if after:
                (changed if key in current else new)[_record_id(key)] = posting_metadata(after)
            elif key in current:
                empty.append(_record_id(key))
        upsert_without_vectors(self.collection, list(new), list(new.values()), self.batch)
        update_records(self.collection, list(changed), list(changed.values()), self.batch)
        for i in range(0, len(empty), self.batch):
            self.collection.delete(ids=empty[i : i + self.batch])


def by_key(filed: Iterable[tuple[str, Iterable[str]]]) -> dict[str, list[str]]:
    """(chunk id, its keys) pairs -> key -> chunk ids."""
    out: dict[str, list[str]] = defaultdict(list)
    for cid, keys in filed:
        for key in keys:
            out[key].append(cid)
    return dict(out)
