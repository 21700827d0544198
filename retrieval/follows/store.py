"""The follows in Chroma: who follows what, which articles each follow was sent, how far matching got.

One collection per archive, ``<name>-follows`` (shared by every replica, kept when the archive is
rebuilt; named, with its records' ids and kinds, in :mod:`retrieval.store.schema`), of records without
vectors of their own:

- a follow: its chat, words, filters, language, when it began, who began it, the bot it was made through
  (whose replicas send its alerts), and its words' query vector (made once, when it began, by the model
  it names);
- a sent record: that article was sent for that follow, and by which claim: a follow never sends an
  article twice, whichever replica sends and however often a round is run again
  (:meth:`FollowStore.claim`);
- a place (kind ``slot``): the chat's or the user's ``n``-th place, held by one follow
  (:meth:`FollowStore.add`);
- a cursor per bot: the switch time (``ingested``, see :meth:`ChunkStore.ingested_after`) of the newest
  article that bot's rounds matched so far (and the one of all bots, as kept before each bot kept its
  own).

A chat has ``per_chat`` places and a user ``per_user`` (across all chats); a follow is made only once it
holds one of each. Taking a place is Chroma's ``add`` of its record, which keeps a record that exists as it
is: of requests taking the same place at once, in this process or in other replicas of the same store,
exactly one finds its follow's id on it and the others try the next free place. So the caps hold exactly
however many ``/follow`` arrive at once, on one replica or several. A follow's id is derived from its chat,
words and filters, so two requests for the same follow at once make one (the loser gives its places
back). A place whose follow never got written (the process died between the two writes) is free again
after :data:`SLOT_GRACE` seconds; follows made before places existed count against the chat's cap by number.

Only this module sees Chroma's shapes of these records; the rest works on :class:`Follow`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from chromadb.api.models.Collection import Collection

from retrieval.records import SearchFilters, day_number
from retrieval.store.chunks import ChunkStore
from retrieval.store.client import add_without_vectors, translate_errors, upsert_without_vectors
from retrieval.store.reads import Row, read_by_ids, rows
from retrieval.store.schema import (
    CHAT_PLACE_PREFIX,
    CURSOR_ID,
    FOLLOW_PREFIX,
    SENT_PREFIX,
    USER_PLACE_PREFIX,
    FollowKind,
    follows_collection,
)
from retrieval.store.shapes import day_from

SLOT_GRACE = 60.0
"""Seconds after which a place whose follow was never written counts as free (see the module docstring)."""


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
    user_id: int | None = None
    """Who started it (counted against their cap across chats); None for follows made before it was kept."""
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)
    """The query vector of ``words`` by the model ``vector_model``, made when the follow began (None for
    follows made before it was kept): matching never embeds it again."""
    vector_model: str = ""
    bot_id: int | None = None
    """The bot the follow was made through (its token's bot id): only that bot's replicas send its
    alerts, as a chat may have that bot alone. None for follows made before it was kept: any bot sends."""


@dataclass(frozen=True, slots=True)
class Refused:
    """A follow not made: the chat (``scope`` ``chat``) or the user (``user``) has ``most`` already."""

    scope: str
    most: int


def follow_metadata(f: Follow) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "kind": FollowKind.FOLLOW,
        "chat": f.chat_id,
        "words": f.words,
        "language": f.language,
        "created": f.created,
    }
    if f.user_id is not None:
        meta["user"] = f.user_id
    if f.bot_id is not None:
        meta["bot"] = f.bot_id
    if f.vector is not None:
        meta["vector"] = base64.b64encode(np.asarray(f.vector, "<f4").tobytes()).decode()
        meta["vector_model"] = f.vector_model
    if f.filters.since is not None:
        meta["since"] = day_number(f.filters.since)
    if f.filters.until is not None:
        meta["until"] = day_number(f.filters.until)
    if f.filters.sources:
        meta["sources"] = json.dumps(list(f.filters.sources), ensure_ascii=False)
    if f.filters.who:
        meta["who"] = f.filters.who
    return meta


def follow_from(record_id: str, meta: Mapping[str, Any]) -> Follow:
    sources, user, vector, bot = meta.get("sources"), meta.get("user"), meta.get("vector"), meta.get("bot")
    return Follow(
        id=record_id.removeprefix(FOLLOW_PREFIX),
        chat_id=int(meta["chat"]),
        words=str(meta.get("words", "")),
        filters=SearchFilters(
            since=day_from(meta, "since"),
            until=day_from(meta, "until"),
            sources=tuple(json.loads(str(sources))) if sources else (),
            who=str(meta.get("who") or ""),
        ),
        language=str(meta.get("language", "en")),
        created=_kept(float(meta.get("created", 0.0))),
        user_id=int(user) if user is not None else None,
        vector=np.frombuffer(base64.b64decode(str(vector)), "<f4").astype(np.float32) if vector else None,
        vector_model=str(meta.get("vector_model", "")),
        bot_id=int(bot) if bot is not None else None,
    )


def sent_id(follow_id: str, article_id: str) -> str:
    return f"{SENT_PREFIX}{follow_id}:{article_id}"


def follow_id_for(chat_id: int, words: str, filters: SearchFilters) -> str:
    """The id of the chat's follow of ``words`` (in any case) within ``filters``: the same follow asked
    for twice at once is one record."""
    shape = follow_metadata(Follow("", 0, "", filters))  # the same through any bot: one alert a chat
    key = json.dumps([chat_id, words.casefold(), shape], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(key.encode()).hexdigest()[:12]


class FollowStore:
    """The follows of the archive ``store`` (its client, its name)."""

    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        self.location = store.location
        self.name = follows_collection(store.name)

    def _col(self) -> Collection:
        return self.store.collections.follows()

    def _read(self, ids: Sequence[str]) -> list[Row]:
        """The records with these ids that exist (their metadata)."""
        col, batch = self._col(), self.store.collections.batch()
        return [row for part in read_by_ids(col, ids, batch, include=["metadatas"]) for row in part]

    def _follows(self, where: Any) -> list[Follow]:
        got = rows(self._col().get(where=where, include=["metadatas"]))
        return sorted((follow_from(row.id, row.metadata) for row in got), key=lambda f: (f.created, f.id))

    @translate_errors
    def of_chat(self, chat_id: int) -> list[Follow]:
        """The chat's follows, oldest first."""
        return self._follows({"$and": [{"kind": FollowKind.FOLLOW}, {"chat": chat_id}]})

    @translate_errors
    def all(self) -> list[Follow]:
        """Every chat's follows."""
        return self._follows({"kind": FollowKind.FOLLOW})

    @translate_errors
    def sent_by(self, bot_id: int) -> list[Follow]:
        """The follows whose alerts the bot ``bot_id`` sends: those made through it and those that
        name no bot (made before follows kept theirs)."""
        return [f for f in self.all() if f.bot_id in (None, bot_id)]

    @translate_errors
    def add(
        self,
        chat_id: int,
        words: str,
        filters: SearchFilters,
        language: str,
        now: float,
        *,
        user_id: int,
        per_chat: int,
        per_user: int,
        vector: np.ndarray | None = None,
        vector_model: str = "",
        bot_id: int | None = None,
    ) -> tuple[Follow, bool] | Refused:
        """The chat's follow of ``words`` within ``filters`` and whether it is new (an equal one is kept,
        not doubled, whichever bot it was made through), started by ``user_id`` through the bot
        ``bot_id``, with the words' query ``vector`` by ``vector_model`` when given; :class:`Refused`
        when the chat has ``per_chat`` follows or the user ``per_user`` across all chats (exactly,
        however many arrive at once: see the module docstring)."""
        have = self.of_chat(chat_id)
        for f in have:
            if f.words.casefold() == words.casefold() and f.filters == filters:
                return f, False
        fid = follow_id_for(chat_id, words, filters)
        made = _kept(now)
        follow = Follow(fid, chat_id, words, filters, language, made, user_id, vector, vector_model, bot_id)
        unplaced = sum(f.user_id is None for f in have)  # made before places: counted by number
        caps = [
            (f"{CHAT_PLACE_PREFIX}{chat_id}", per_chat - unplaced, Refused("chat", per_chat)),
            (f"{USER_PLACE_PREFIX}{user_id}", per_user, Refused("user", per_user)),
        ]
        taken: list[str] = []
        try:
            for scope, places, refused in caps:
                place = self._take_place(scope, places, follow, now)
                if place is None:
                    self._give_back(taken, follow.id)
                    return refused
                taken.append(place)
            kept = self._write_new(follow, taken[0])
        except BaseException:
            self._give_back(taken, follow.id)
            raise
        if kept.get("place") != taken[0]:  # the same follow, made at the same moment by another request
            self._give_back(taken, follow.id)
            return follow_from(FOLLOW_PREFIX + follow.id, kept), False
        return follow, True

    def _write_new(self, follow: Follow, place: str) -> Mapping[str, Any]:
        """Write the follow unless its record exists (``add`` keeps it as it is); the record as it is now."""
        return self._add_and_read(FOLLOW_PREFIX + follow.id, follow_metadata(follow) | {"place": place})

    def _add_and_read(self, rid: str, meta: Mapping[str, Any]) -> Mapping[str, Any]:
        """Add the record ``rid`` unless it exists; its metadata as read back ({} when it is gone)."""
        add_without_vectors(self._col(), [rid], [meta], 1)
        got = self._read([rid])
        return got[0].metadata if got else {}

    def _take_place(self, scope: str, most: int, follow: Follow, now: float) -> str | None:
        """One of the ``most`` places of ``scope`` for ``follow`` (that place's record id), or None when
        all are held: each free place is claimed by ``add`` and read back, until one is the follow's."""
        if most <= 0:
            return None
        ids = [f"{scope}:{n}" for n in range(most)]
        held = {row.id: row.metadata for row in self._read(ids)}
        self._free_abandoned(held, now)
        for place in (i for i in ids if i not in held):
            meta: dict[str, Any] = {"kind": FollowKind.SLOT, "follow": follow.id, "at": now}
            if self._add_and_read(place, meta).get("follow") == follow.id:
                return place
        return None

    def _free_abandoned(self, held: dict[str, Mapping[str, Any]], now: float) -> None:
        """Drop from ``held`` (and the store) the places older than :data:`SLOT_GRACE` whose follow does
        not exist: its process died before writing it. The delete names the holder, so a place taken
        again meanwhile stays taken."""
        old = {r: str(m.get("follow")) for r, m in held.items() if float(m.get("at", 0.0)) < now - SLOT_GRACE}
        if not old:
            return
        there = {row.id for row in self._read([FOLLOW_PREFIX + f for f in set(old.values())])}
        for rid, holder in old.items():
            if FOLLOW_PREFIX + holder not in there:
                self._col().delete(ids=[rid], where={"follow": holder})
                del held[rid]

    def _give_back(self, places: Sequence[str], holder: str) -> None:
        if places:
            self._col().delete(ids=list(places), where={"follow": holder})

    @translate_errors
    def remove(self, chat_id: int, follow_id: str) -> Follow | None:
        """Remove the chat's follow ``follow_id`` and what it was sent; the follow, or None when the
        chat has no such follow (removed already, or another chat's)."""
        got = self._read([FOLLOW_PREFIX + follow_id])
        if not got:
            return None
        follow = follow_from(got[0].id, got[0].metadata)
        if follow.chat_id != chat_id:
            return None
        # the follow first, then its places (freed only once it is gone) and what it was sent
        self._col().delete(ids=[FOLLOW_PREFIX + follow_id])
        self._col().delete(where={"follow": follow_id})
        return follow

    @translate_errors
    def claim(self, pairs: Sequence[tuple[str, str]], token: str, now: float) -> set[tuple[str, str]]:
        """Record these (follow id, article id) pairs as sent under the claim ``token`` and return those
        that are this claim's to send: Chroma's ``add`` keeps a record that exists as it is, so a pair is
        this claim's only when the record read back carries ``token``. Of replicas claiming the same pair
        at once exactly one wins, and a pair claimed before (by another replica, or by this one in a
        round that failed after sending) stays sent. A caller takes a new token for each claim, and the
        same token again only to repeat a claim that raised (did it land?): that one answers as the
        first would have."""
        if not pairs:
            return set()
        wanted = {sent_id(f, a): (f, a) for f, a in pairs}
        metas: list[Mapping[str, Any]] = [
            {"kind": FollowKind.SENT, "follow": f, "article": a, "claim": token, "at": now}
            for f, a in wanted.values()
        ]
        add_without_vectors(self._col(), list(wanted), metas, self.store.collections.batch())
        return {wanted[row.id] for row in self._read(list(wanted)) if row.metadata.get("claim") == token}

    @translate_errors
    def cursor(self, bot_id: int | None = None) -> float | None:
        """The switch time of the newest article the bot ``bot_id``'s rounds matched so far (the one kept
        for all bots before each kept its own, until the bot has its own; None before the first round)."""
        ids = [CURSOR_ID] if bot_id is None else [f"{CURSOR_ID}:{bot_id}", CURSOR_ID]
        kept = {row.id: row.metadata for row in self._read(ids) if row.metadata}
        for rid in ids:
            if rid in kept:
                return float(str(kept[rid]["ingested"]))
        return None

    @translate_errors
    def set_cursor(self, ingested: float, bot_id: int | None = None) -> None:
        rid = CURSOR_ID if bot_id is None else f"{CURSOR_ID}:{bot_id}"
        meta = {"kind": FollowKind.CURSOR, "ingested": ingested}
        upsert_without_vectors(self._col(), [rid], [meta], self.store.collections.batch())


def _kept(created: float) -> float:
    """A follow's time as the store gives it back: to the millisecond (a float's last bit may differ after
    the store's round trip, and a follow made now must equal the same follow read back)."""
    return round(created, 3)
