"""The follows in Chroma: who follows what, which articles each follow was sent, how far matching got.

One collection per archive, ``<name>-follows`` (shared by every replica, kept when the archive is
rebuilt), of records without vectors of their own:

- ``f:<follow id>``: a follow (kind ``follow``): its chat, words, filters, language and when it began;
- ``s:<follow id>:<article id>``: that article was sent for that follow (kind ``sent``), and by whom: a
  follow never sends an article twice, whichever replica sends (:meth:`FollowStore.claim`);
- ``cursor``: the switch time (``ingested``, see :meth:`ChunkStore.ingested_after`) of the newest
  article matched so far.

Only this module sees Chroma's shapes of these records; the rest works on :class:`Follow`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chromadb.api.models.Collection import Collection

from retrieval.records import SearchFilters, day_from_number, day_number
from retrieval.store.chunks import ChunkStore
from retrieval.store.client import translate_errors, upsert_without_vectors
from retrieval.store.shapes import placeholders

FOLLOWS_SUFFIX = "-follows"
_FOLLOW = "f:"
_SENT = "s:"
_CURSOR = "cursor"


@dataclass(frozen=True, slots=True)
class Follow:
    """A chat's standing query: new articles that match ``words`` within ``filters`` are sent to it."""

    id: str
    chat_id: int
    words: str
    filters: SearchFilters = field(default_factory=SearchFilters)
    language: str = "en"
    """The follower's language (``ru`` or ``en``), for the alerts' own words."""
    created: float = 0.0
    """Epoch seconds: only articles switched in after this are matched."""


def follow_metadata(f: Follow) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "kind": "follow",
        "chat": f.chat_id,
        "words": f.words,
        "language": f.language,
        "created": f.created,
    }
    if f.filters.since is not None:
        meta["since"] = day_number(f.filters.since)
    if f.filters.until is not None:
        meta["until"] = day_number(f.filters.until)
    if f.filters.sources:
        meta["sources"] = json.dumps(list(f.filters.sources), ensure_ascii=False)
    return meta


def follow_from(record_id: str, meta: Mapping[str, Any]) -> Follow:
    since, until, sources = meta.get("since"), meta.get("until"), meta.get("sources")
    return Follow(
        id=record_id.removeprefix(_FOLLOW),
        chat_id=int(meta["chat"]),
        words=str(meta.get("words", "")),
        filters=SearchFilters(
            since=day_from_number(int(since)) if since is not None else None,
            until=day_from_number(int(until)) if until is not None else None,
            sources=tuple(json.loads(str(sources))) if sources else (),
        ),
        language=str(meta.get("language", "en")),
        created=float(meta.get("created", 0.0)),
    )


def sent_id(follow_id: str, article_id: str) -> str:
    return f"{_SENT}{follow_id}:{article_id}"


class FollowStore:
    """The follows of the archive ``store`` (its client, its name)."""

    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        self.location = store.location
        self.name = store.name + FOLLOWS_SUFFIX
        self._collection: Collection | None = None

    @translate_errors
    def _col(self) -> Collection:
        if self._collection is None:
            self._collection = self.store.client.get_or_create_collection(self.name, embedding_function=None)
        return self._collection

    def _upsert(self, ids: Sequence[str], metas: Sequence[Mapping[str, Any]]) -> None:
        upsert_without_vectors(self._col(), ids, metas, max(1, self.store.client.get_max_batch_size()))

    def _follows(self, where: Any) -> list[Follow]:
        got = self._col().get(where=where, include=["metadatas"])
        rows = zip(got["ids"], got["metadatas"] or [], strict=True)
        return sorted((follow_from(rid, meta or {}) for rid, meta in rows), key=lambda f: (f.created, f.id))

    @translate_errors
    def of_chat(self, chat_id: int) -> list[Follow]:
        """The chat's follows, oldest first."""
        return self._follows({"$and": [{"kind": "follow"}, {"chat": chat_id}]})

    @translate_errors
    def all(self) -> list[Follow]:
        """Every chat's follows."""
        return self._follows({"kind": "follow"})

    @translate_errors
    def add(
        self, chat_id: int, words: str, filters: SearchFilters, language: str, now: float, most: int
    ) -> tuple[Follow, bool] | None:
        """The chat's follow of ``words`` within ``filters`` and whether it is new (an equal one is kept,
        not doubled); None when the chat has ``most`` follows already."""
        have = self.of_chat(chat_id)
        for f in have:
            if f.words.casefold() == words.casefold() and f.filters == filters:
                return f, False
        if len(have) >= most:
            return None
        follow = Follow(uuid.uuid4().hex[:10], chat_id, words, filters, language, now)
        self._upsert([_FOLLOW + follow.id], [follow_metadata(follow)])
        return follow, True

    @translate_errors
    def remove(self, chat_id: int, follow_id: str) -> Follow | None:
        """Remove the chat's follow ``follow_id`` and what it was sent; the follow, or None when the
        chat has no such follow (removed already, or another chat's)."""
        got = self._col().get(ids=[_FOLLOW + follow_id], include=["metadatas"])
        if not got["ids"]:
            return None
        follow = follow_from(got["ids"][0], (got["metadatas"] or [{}])[0] or {})
        if follow.chat_id != chat_id:
            return None
        self._col().delete(ids=[_FOLLOW + follow_id])
        self._col().delete(where={"$and": [{"kind": "sent"}, {"follow": follow_id}]})
        return follow

    @translate_errors
    def claim(self, pairs: Sequence[tuple[str, str]], owner: str, now: float) -> set[tuple[str, str]]:
        """Record these (follow id, article id) pairs as sent by ``owner`` and return those that are
        ``owner``'s to send: Chroma's ``add`` keeps a record that exists as it is, so of replicas that
        claim the same pair at once exactly one finds its own name on it (and one already sent stays
        sent)."""
        if not pairs:
            return set()
        col = self._col()
        wanted = {sent_id(f, a): (f, a) for f, a in pairs}
        ids = list(wanted)
        metas: list[Mapping[str, Any]] = [
            {"kind": "sent", "follow": f, "article": a, "by": owner, "at": now} for f, a in wanted.values()
        ]
        batch = max(1, self.store.client.get_max_batch_size())
        for i in range(0, len(ids), batch):
            part = ids[i : i + batch]
            col.add(ids=part, embeddings=placeholders(part), metadatas=list(metas[i : i + batch]))
        got = col.get(ids=ids, include=["metadatas"])
        return {
            wanted[rid]
            for rid, meta in zip(got["ids"], got["metadatas"] or [], strict=True)
            if (meta or {}).get("by") == owner
        }

    @translate_errors
    def cursor(self) -> float | None:
        """The switch time of the newest article matched so far (None before the first round)."""
        got = self._col().get(ids=[_CURSOR], include=["metadatas"])
        metas = got["metadatas"] or []
        return float(str((metas[0] or {})["ingested"])) if got["ids"] and metas and metas[0] else None

    @translate_errors
    def set_cursor(self, ingested: float) -> None:
        self._upsert([_CURSOR], [{"kind": "cursor", "ingested": ingested}])
