"""The list of feeds and their state, kept with the archive in the store so that every bot replica and
``newsbot watch`` share it: the one place that sees the feeds collection's records.

The collection ``<name>-feeds`` (named, with its records' ids and kinds, in :mod:`retrieval.store.schema`)
holds:

- a feed record per feed: its URL, source name, when it was added, last poll, last success, last
  error, articles added so far, and the ETag / Last-Modified of its last response (conditional GET);
- an entry record per entry ingested from it: the entry's fingerprint and the id of the article made from
  it, so that an unchanged entry's page is not fetched again.

A feed's key is a digest of its URL (a URL may be longer than Chroma allows an id to be).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chromadb.api.models.Collection import Collection

from retrieval.store.chunks import ChunkStore
from retrieval.store.client import translate_errors, update_records, upsert_without_vectors
from retrieval.store.reads import read_by_ids, rows
from retrieval.store.schema import ENTRY_PREFIX, FEED_PREFIX, FeedKind, feeds_collection

from .errors import FeedError
from .guard import feed_url

__all__ = ["Feed", "FeedError", "FeedRegistry", "KnownEntry"]

_BATCH = 500


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    source: str | None
    added_at: datetime
    last_poll: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    articles_added: int = 0
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class KnownEntry:
    """An entry ingested before: its fingerprint then, and the article made from it."""

    fingerprint: str
    article_id: str


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _stamp(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value is not None else ""


def _feed_from(meta: Mapping[str, Any]) -> Feed:
    return Feed(
        url=str(meta["url"]),
        source=str(meta.get("source") or "") or None,
        added_at=_time(meta.get("added_at")) or datetime.fromtimestamp(0, UTC),
        last_poll=_time(meta.get("last_poll")),
        last_success=_time(meta.get("last_success")),
        last_error=str(meta.get("last_error") or "") or None,
        articles_added=int(meta.get("articles_added") or 0),
        etag=str(meta.get("etag") or "") or None,
        last_modified=str(meta.get("last_modified") or "") or None,
    )


class FeedRegistry:
    """The feeds of ``store``'s archive. Adding and removing feeds needs no archive yet."""

    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        self.name = feeds_collection(store.name)

    def _collection(self) -> Collection:
        return self.store.collections.feeds()

    # -- the list ------------------------------------------------------------------------------------

    @translate_errors
    def add(self, url: str, source: str | None = None) -> Feed:
        """Add the feed at ``url`` (or give a listed one the new ``source``); :class:`FeedError` when
        ``url`` is not an http(s) URL."""
        url = feed_url(url)
        source = " ".join(source.split()) if source else None
        known = self.get(url)
        if known is not None:
            if source is None or source == known.source:
                return known
            update_records(self._collection(), [FEED_PREFIX + _key(url)], [{"source": source}], _BATCH)
            return self.get(url) or known
        added_at = datetime.now(UTC).isoformat()
        meta = {"kind": FeedKind.FEED, "url": url, "source": source or "", "added_at": added_at}
        upsert_without_vectors(self._collection(), [FEED_PREFIX + _key(url)], [meta], _BATCH)
        return _feed_from(meta)

    @translate_errors
    def remove(self, url: str) -> bool:
        """Remove the feed and what was remembered of its entries (its articles stay in the archive);
        False when it was not listed."""
        url = feed_url(url)
        if self.get(url) is None:
            return False
        col = self._collection()
        col.delete(where={"feed": _key(url)})
        col.delete(ids=[FEED_PREFIX + _key(url)])
        return True

    @translate_errors
    def feeds(self) -> list[Feed]:
        """Every listed feed, in the order they were added."""
        got = rows(self._collection().get(where={"kind": FeedKind.FEED}, include=["metadatas"]))
        feeds = [_feed_from(row.metadata) for row in got if row.metadata]
        return sorted(feeds, key=lambda f: (f.added_at, f.url))

    @translate_errors
    def get(self, url: str) -> Feed | None:
        got = rows(self._collection().get(ids=[FEED_PREFIX + _key(feed_url(url))], include=["metadatas"]))
        return _feed_from(got[0].metadata) if got and got[0].metadata else None

    # -- the poller's state --------------------------------------------------------------------------

    @translate_errors
    def record_poll(
        self,
        url: str,
        when: datetime,
        *,
        error: str | None,
        added: int = 0,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Note one poll of a listed feed (one that was removed meanwhile stays removed): ``added`` counts
        even when it failed (a stopped poll keeps the batches it wrote); the validators only when not."""
        feed = self.get(url)
        if feed is None:
            return
        meta: dict[str, Any] = {"last_poll": _stamp(when), "last_error": error or ""}
        meta["articles_added"] = feed.articles_added + added  # a stopped poll keeps what it wrote
        if error is None:
            meta |= {"last_success": _stamp(when), "etag": etag or "", "last_modified": last_modified or ""}
        update_records(self._collection(), [FEED_PREFIX + _key(feed.url)], [meta], _BATCH)

    @translate_errors
    def known_entries(self, url: str, entry_ids: Sequence[str]) -> dict[str, KnownEntry]:
        """What was remembered of these entries of the feed, by entry id."""
        feed_key = _key(feed_url(url))
        ids = {_entry_id(feed_key, e): e for e in dict.fromkeys(entry_ids)}
        return {
            ids[row.id]: KnownEntry(str(row.metadata.get("fingerprint")), str(row.metadata.get("article")))
            for batch in read_by_ids(self._collection(), list(ids), _BATCH, include=["metadatas"])
            for row in batch
            if row.metadata
        }

    @translate_errors
    def remember_entries(self, url: str, entries: Mapping[str, KnownEntry]) -> None:
        """Remember these entries of a listed feed (entry id -> fingerprint and article)."""
        url = feed_url(url)
        if not entries or self.get(url) is None:
            return
        feed_key = _key(url)
        ids = [_entry_id(feed_key, e) for e in entries]
        metas = [
            {"kind": FeedKind.ENTRY, "feed": feed_key, "fingerprint": k.fingerprint, "article": k.article_id}
            for k in entries.values()
        ]
        upsert_without_vectors(self._collection(), ids, metas, _BATCH)


def _entry_id(feed_key: str, entry_id: str) -> str:
    return f"{ENTRY_PREFIX}{feed_key}:{_key(entry_id)}"
