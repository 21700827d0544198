"""The entity index of an archive in its ``<name>-entities`` collection: the records of
:mod:`retrieval.entities.index`, each read by its id (no scans on the question path, whatever the
archive's size), written by ingestion only (one ingestion at a time holds the store's lock).

    index = EntityIndex(collection, batch=500)
    index.change(changes(added=[...], removed=[...]))          # ingestion, update, removal
    index.candidates("Putin")                                   # entity id -> Entity, to resolve
    index.articles("person:владимир путин", limit=100)          # [article id, day, outlet], newest first
    index.most_named(["202503", "202504"], limit=20)            # entity id -> articles, in those months
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from chromadb.api.models.Collection import Collection

from retrieval.entities.article import Named
from retrieval.entities.index import (
    ENTITY,
    MONTH,
    POSTED,
    UNDATED,
    WORD,
    Delta,
    Entity,
    Filed,
    entity_id,
    reposted,
    tally_of,
)
from retrieval.entities.lookup import wanted
from retrieval.entities.who import Fact
from retrieval.store.client import update_records, upsert_without_vectors
from retrieval.store.reads import read_by_ids
from retrieval.store.schema import ARTICLE_PREFIX, ENTITIES_FIELD, Kind
from retrieval.store.shapes import day_from, entity_ids

_READ = 1000


def entity_field(named: Sequence[Named]) -> dict[str, str]:
    """An article record's :data:`ENTITIES_FIELD` for the entities it names."""
    return {ENTITIES_FIELD: json.dumps([entity_id(n.kind, n.key) for n in named], ensure_ascii=False)}


def article_facts(articles: Collection, article_ids: Sequence[str]) -> dict[str, Fact]:
    """What ``who`` shows of the visible articles among ``article_ids``, from their records (by id)."""
    out: dict[str, Fact] = {}
    ids = [ARTICLE_PREFIX + a for a in dict.fromkeys(article_ids)]
    for rows in read_by_ids(articles, ids, _READ, include=["metadatas"]):
        for row in rows:
            if row.metadata.get("kind") != Kind.ARTICLE:
                continue
            aid = row.id[len(ARTICLE_PREFIX) :]
            filed = filed_of(aid, row.metadata)
            out[aid] = Fact(
                aid,
                str(row.metadata.get("title") or ""),
                filed.day,
                filed.outlet,
                str(row.metadata["url"]) if row.metadata.get("url") else None,
                tuple(entity_id(n.kind, n.key) for n in filed.entities),
            )
    return out


def filed_of(article_id: str, meta: Mapping[str, Any]) -> Filed:
    """What the index filed of an article, from its record (to unfile it: ids, day and outlet)."""
    named = []
    for eid in entity_ids(meta):
        kind, _, key = eid.partition(":")
        named.append(Named(kind, "", key, (), 0))
    day = day_from(meta)
    return Filed(article_id, day.isoformat() if day else None, str(meta.get("source") or ""), tuple(named))


class EntityIndex:
    """An archive's entity index over its ``-entities`` collection."""

    def __init__(self, collection: Collection, batch: int) -> None:
        self.collection = collection
        self.batch = batch

    def read(self, ids: Sequence[str]) -> dict[str, Mapping[str, Any]]:
        """The records of ``ids`` that exist: id -> metadata."""
        return {
            row.id: row.metadata
            for rows in read_by_ids(self.collection, list(dict.fromkeys(ids)), _READ, include=["metadatas"])
            for row in rows
        }

    def entities(self, entity_ids: Iterable[str]) -> dict[str, Entity]:
        """The entities of ``entity_ids`` that some article names."""
        got = self.read([ENTITY + e for e in entity_ids])
        return {rid[len(ENTITY) :]: Entity.from_metadata(meta) for rid, meta in got.items()}

    def candidates(self, name: str) -> dict[str, Entity]:
        """The entities filed under the words of ``name`` (:func:`retrieval.entities.lookup.resolve`
        chooses among them)."""
        words = self.read([WORD + key for key in wanted(name)])
        return self.entities({e for meta in words.values() for e in _json(meta.get("ids"), [])})

    def articles(
        self, entity_id: str, months: Sequence[str] | None = None, limit: int | None = 100
    ) -> list[list[str]]:
        """``[article id, day, outlet]`` of the articles naming the entity, newest first (undated last),
        from its ``months`` (default: all it has), at most ``limit`` (None: all)."""
        if months is None:
            entity = self.entities([entity_id]).get(entity_id)
            months = list(entity.months) if entity else []
        ordered = sorted((m for m in months if m != UNDATED), reverse=True)
        ordered += [UNDATED] if UNDATED in months else []
        out: list[list[str]] = []
        for start in range(0, len(ordered), 12):  # a year of months per read
            ids = [f"{POSTED}{entity_id}:{m}" for m in ordered[start : start + 12]]
            got = self.read(ids)
            for rid in ids:
                out.extend(_json(got.get(rid, {}).get("rows"), []))
                if limit is not None and len(out) >= limit:
                    return out[:limit]
        return out

    def most_named(
        self, months: Sequence[str], limit: int | None = None, outlet: str | None = None
    ) -> Counter[str]:
        """Entity id -> how many articles of ``months`` (of ``outlet``) name it, the ``limit`` most named
        (None: all)."""
        total: Counter[str] = Counter()
        for meta in self.read([MONTH + tally_of(m, outlet) for m in months]).values():
            total.update(_json(meta.get("counts"), {}))
        return Counter(dict(total.most_common(limit)))

    def change(self, delta: Delta) -> None:
        """Write what ``delta`` changes: entity records, month postings, word keys and month tallies."""
        entity_ids = [ENTITY + e for e in delta.entities]
        posted_ids = [f"{POSTED}{e}:{m}" for e, d in delta.entities.items() for m in {*d.added, *d.removed}]
        word_ids = [WORD + k for k in delta.words]
        month_ids = [MONTH + m for m in delta.months]
        current = self.read([*entity_ids, *posted_ids, *word_ids, *month_ids])
        writes: dict[str, Mapping[str, Any] | None] = {}
        for eid, change in delta.entities.items():
            writes[ENTITY + eid] = change.applied(current.get(ENTITY + eid))
            for month in {*change.added, *change.removed}:
                rid = f"{POSTED}{eid}:{month}"
                rows = reposted(
                    _json(current.get(rid, {}).get("rows"), []),
                    change.added.get(month, []),
                    change.removed.get(month, set()),
                )
                writes[rid] = {"rows": json.dumps(rows, ensure_ascii=False)} if rows else None
        for key, ids in delta.words.items():
            before = _json(current.get(WORD + key, {}).get("ids"), [])
            after = sorted({*before, *ids})
            if after != sorted(before):
                writes[WORD + key] = {"ids": json.dumps(after, ensure_ascii=False)}
        for month, counts in delta.months.items():
            tally = Counter(_json(current.get(MONTH + month, {}).get("counts"), {}))
            tally.update(counts)
            kept = {e: n for e, n in tally.items() if n > 0}
            writes[MONTH + month] = {"counts": json.dumps(kept, ensure_ascii=False)} if kept else None
        self._write(writes, current)

    def _write(self, writes: Mapping[str, Mapping[str, Any] | None], current: Mapping[str, Any]) -> None:
        new = {rid: meta for rid, meta in writes.items() if meta is not None and rid not in current}
        changed = {rid: meta for rid, meta in writes.items() if meta is not None and rid in current}
        gone = [rid for rid, meta in writes.items() if meta is None and rid in current]
        upsert_without_vectors(self.collection, list(new), list(new.values()), self.batch)
        update_records(self.collection, list(changed), list(changed.values()), self.batch)
        for i in range(0, len(gone), self.batch):
            self.collection.delete(ids=gone[i : i + self.batch])


def _json(text: Any, empty: Any) -> Any:
    return json.loads(text) if isinstance(text, str) and text else empty
