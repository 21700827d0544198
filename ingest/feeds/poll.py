"""One round over every listed feed: fetch it (conditionally), fetch the pages of its new and edited
entries, ingest them as articles under ``feed:<url>``, and note the feed's state.

One process polls at a time (:func:`poll_lease`: another bot replica or ``newsbot watch`` skips
its round and says who holds it). A broken feed (an HTTP error, a timeout, a page too large, something
that is not a feed) is reported in its :class:`FeedOutcome` and the round goes on; a broken page makes
its entry fall back to the entry's own content or summary.

Each ingestion waits for the other writers (``newsbot ingest``, a channel's posts) holding the archive,
at most ``NEWSBOT_INGEST_WAIT``; one that waited in vain ends the round, the feeds after it left for the
next (:attr:`PollReport.postponed`), as they would wait in vain too.

A feed's entries are written as they are read, ``FEED_BATCH`` at a time: a feed of thousands of entries
has its first articles searchable after the first batch, not after the last page. A stop request
(``cancel``: Ctrl-C, the bot stopping) ends the request in flight within a fraction of a second
(:mod:`.transport`) and the round with it; the batches written stay (and their entries are not fetched
again), the batch being read is read again next round, and so is the feed (its validators are not kept).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from ingest.loaders import ArticleLimits
from ingest.loaders.article import RawArticle
from ingest.loaders.decoding import NotText, decode_bytes
from ingest.loaders.html import read_html_article
from ingest.locking import LEASE_SECONDS, Lease
from ingest.pipeline import Ingestion
from retrieval.embeddings import NewsEmbeddings
from retrieval.errors import IngestLocked, NewsbotError, StoreError
from retrieval.records import Article
from retrieval.settings import Settings
from retrieval.store.chunks import ChunkStore

from .entries import FeedEntry, entry_article, parse_feed
from .errors import FetchCancelled, FetchError
from .fetch import PAGE_ACCEPT, Fetched, Fetcher, FetchPolicy
from .registry import Feed, FeedRegistry, KnownEntry

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_BATCH = 16
"""Entries of one feed read (their pages fetched) and then ingested together: what a stop may have to
read again."""
DUE_SHARE = 0.9
"""With ``only_due``, a feed is polled once this share of the interval has passed since its last poll."""


@dataclass
class FeedOutcome:
    url: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    """Problems that did not stop the feed: a page that fell back to the summary, a malformed feed."""
    not_modified: bool = False
    """The server answered 304: nothing was read."""
    cancelled: bool = False
    """A stop request cut this feed's poll short (``error`` says so)."""
    locked: bool = False
    """Another ingestion held the archive beyond the wait: the entries read were not ingested."""


@dataclass
class PollReport:
    outcomes: list[FeedOutcome]
    held_by: str | None = None
    """Who holds the feeds lease when another process is polling (this round did nothing)."""
    cancelled: bool = False
    postponed: list[str] = field(default_factory=list)
    """Feeds not polled this round: another ingestion held the archive beyond the wait (one feed's
    outcome says so); polled next round."""

    @property
    def failed(self) -> list[FeedOutcome]:
        return [o for o in self.outcomes if o.error is not None]


def poll_lease(store: ChunkStore) -> Lease:
    """The lease one polling process holds at a time, kept with the feeds (not the chunks)."""
    return Lease(store.collections.feeds_metadata(), "feeds")


class FeedPoller:
    """Polls the store's listed feeds; :meth:`poll` blocks (the bot calls it in a thread)."""

    def __init__(self, store: ChunkStore, embeddings: NewsEmbeddings, settings: Settings) -> None:
        self.store = store
        self.embeddings = embeddings
        self.settings = settings
        self.registry = FeedRegistry(store)
        self.policy = FetchPolicy.from_settings(settings)
        self.limits = ArticleLimits.from_settings(settings)
        self.lease = poll_lease(store)
        self.batch_size = FEED_BATCH

    def poll(self, cancel: threading.Event | None = None, *, only_due: bool = False) -> PollReport:
        """One round over the listed feeds (with ``only_due``: those not polled in the last interval,
        so that replicas each polling on a timer poll each feed once an interval)."""
        cancel = cancel or threading.Event()
        self.store.ensure(self.embeddings.model_id, self.embeddings.dim)
        if not self.lease.try_take():
            return PollReport([], held_by=self.lease.holder() or "another process")
        report = PollReport([])
        try:
            feeds = [f for f in self.registry.feeds() if not only_due or self._due(f)]
            with Fetcher(self.policy, cancel=cancel) as fetcher:
                for n, feed in enumerate(feeds):
                    if cancel.is_set():
                        break
                    report.outcomes.append(self._poll_feed(feed, fetcher, cancel))
                    self.lease.beat()
                    if report.outcomes[-1].locked:  # the next feed would wait in vain too
                        report.postponed = [f.url for f in feeds[n + 1 :]]
                        break
            polled = len(report.outcomes) + len(report.postponed)
            report.cancelled = polled < len(feeds) or any(o.cancelled for o in report.outcomes)
        finally:
            self.lease.release()
        return report

    def _due(self, feed: Feed) -> bool:
        if feed.last_poll is None:
            return True
        interval = timedelta(minutes=self.settings.feed_interval * DUE_SHARE)
        return datetime.now(UTC) - feed.last_poll >= interval

    def _poll_feed(self, feed: Feed, fetcher: Fetcher, cancel: threading.Event) -> FeedOutcome:
        started = datetime.now(UTC)
        outcome = FeedOutcome(feed.url)
        try:
            fetched = fetcher.get(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if not fetched.not_modified:
                self._ingest_feed(feed, fetched, fetcher, outcome, cancel)
            else:
                outcome.not_modified = True
                fetched = _keep_validators(fetched, feed)
        except FetchCancelled:  # not a success: the validators are not kept, the next round reads it all
            outcome.cancelled = True
            outcome.error = (
                f"{feed.url}: cancelled before all its entries were ingested; polled again next time"
            )
        except StoreError as exc:
            if not isinstance(exc, IngestLocked):
                raise
            outcome.locked = True
            outcome.error = f"{feed.url}: not ingested this round: {exc}"
        except NewsbotError as exc:
            outcome.error = str(exc)
        except Exception as exc:  # a bug or a parser's surprise in one feed must not stop the others
            log.exception("polling %s failed", feed.url)
            outcome.error = f"{feed.url}: unexpected error: {exc!r}"
        if outcome.error is not None:
            log.warning("feed poll: %s", outcome.error)
            self.registry.record_poll(feed.url, started, error=outcome.error, added=outcome.added)
        else:
            self.registry.record_poll(
                feed.url,
                started,
                error=None,
                added=outcome.added,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
            )
        return outcome

    def _ingest_feed(
        self, feed: Feed, fetched: Fetched, fetcher: Fetcher, outcome: FeedOutcome, cancel: threading.Event
    ) -> None:
        """Read the feed's new and edited entries and ingest them a batch at a time (``FetchCancelled``
        once ``cancel`` is set: the batches written stay)."""
        parsed = parse_feed(fetched.content, feed.url, fetched.content_type, fetched.charset)
        outcome.warnings += parsed.warnings
        entries = self._changed(feed, _unique(parsed.entries))
        outcome.unchanged = len(parsed.entries) - len(entries)
        source = feed.source or parsed.title
        for start in range(0, len(entries), self.batch_size):
            articles: list[Article] = []
            made: dict[str, KnownEntry] = {}
            for entry in entries[start : start + self.batch_size]:
                if cancel.is_set():
                    raise FetchCancelled(feed.url)
                article = self._article(entry, source, fetcher, outcome)
                if article is not None:
                    articles.append(article)
                    made[entry.id] = KnownEntry(entry.fingerprint, article.id)
            if articles:
                self._ingest(feed, articles, made, outcome, cancel)
            self.lease.beat()

    def _ingest(
        self,
        feed: Feed,
        articles: Sequence[Article],
        made: dict[str, KnownEntry],
        outcome: FeedOutcome,
        cancel: threading.Event,
    ) -> None:
        ingestion = Ingestion(
            self.store,
            self.embeddings,
            lock_dir=self.settings.data_dir / "locks",
            limits=self.limits,
            cancel=cancel,
            wait=min(self.settings.ingest_wait, LEASE_SECONDS / 2),  # the feeds lease is not beaten meanwhile
        )
        result = ingestion.run_articles(_distinct(articles), root=f"feed:{feed.url}")
        outcome.added += result.added
        outcome.updated += result.updated
        outcome.unchanged += result.unchanged
        if result.cancelled:
            raise FetchCancelled(feed.url)
        self.registry.remember_entries(feed.url, made)

    def _changed(self, feed: Feed, entries: Sequence[FeedEntry]) -> list[FeedEntry]:
        """The entries not ingested before with the same fingerprint (or whose article is gone since:
        a rebuilt archive)."""
        known = self.registry.known_entries(feed.url, [e.id for e in entries])
        present = self.store.versions([k.article_id for k in known.values()])
        return [
            e
            for e in entries
            if e.id not in known
            or known[e.id].fingerprint != e.fingerprint
            or known[e.id].article_id not in present
        ]

    def _article(
        self, entry: FeedEntry, source: str | None, fetcher: Fetcher, outcome: FeedOutcome
    ) -> Article | None:
        where = entry.link or f"{outcome.url} entry {entry.id}"
        page = self._page(entry, fetcher, outcome)
        result = entry_article(entry, source=source, page=page, limits=self.limits, origin=where)
        outcome.warnings += [str(p) for p in result.warnings]
        if not result.articles:
            outcome.warnings += [f"{p}; skipped" for p in result.skipped]
            return None
        return result.articles[0]

    def _page(self, entry: FeedEntry, fetcher: Fetcher, outcome: FeedOutcome) -> RawArticle | None:
        """The linked page's fields, or None (with a warning when it could not be read)."""
        if not entry.link:
            return None
        try:
            fetched = fetcher.get(entry.link, accept=PAGE_ACCEPT)
            if fetched.content_type and fetched.content_type not in HTML_TYPES:
                raise FetchError(f"{fetched.url}: {fetched.content_type}, not an HTML page")
            page = read_html_article(_decode(fetched))
        except FetchCancelled:
            raise
        except FetchError as exc:
            outcome.warnings.append(f"{exc}; the entry's summary is used instead")
            return None
        except NotText:
            outcome.warnings.append(f"{entry.link}: not text; the entry's summary is used instead")
            return None
        if not page.text:
            outcome.warnings.append(f"{entry.link}: no text found in the page; the entry's summary is used")
            return None
        return page


def _decode(fetched: Fetched) -> str:
    if fetched.charset:
        try:
            return fetched.content.decode(fetched.charset, errors="replace")
        except LookupError:
            pass
    return decode_bytes(fetched.content).text


def _keep_validators(fetched: Fetched, feed: Feed) -> Fetched:
    """A 304 may leave out the validators: the feed's own stay."""
    return replace(
        fetched, etag=fetched.etag or feed.etag, last_modified=fetched.last_modified or feed.last_modified
    )


def _unique(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """The first entry of each id (a feed listing one twice)."""
    return list({e.id: e for e in reversed(entries)}.values())[::-1]


def _distinct(articles: Sequence[Article]) -> list[Article]:
    return list({a.id: a for a in reversed(articles)}.values())[::-1]
