"""Channel posts waiting to be ingested: collected in a :class:`ChannelInbox` and ingested together a
moment later (a burst of posts is one ingestion per channel, through PTB's JobQueue, in a worker
thread), filed under ``channel:<chat id>``.

An ingestion waits for another one holding the collection (``NEWSBOT_INGEST_WAIT``); one that still
finds it held keeps its posts in the inbox and is tried again soon (:data:`LOCKED_DELAY`), one that fails
otherwise (the store is down) after a growing delay (:data:`RETRY_DELAYS`); a newer edit that arrived
meanwhile wins. The inbox lives in memory: posts still waiting when the bot stops are named in the log
(a warning per post, with its link), so nothing is lost without a word.

A flush runs as a task of its own (the job only starts it) and its ingestion in a daemon thread, with
the bot's ``stopping`` event as its cancel: a stopping bot (:meth:`ChannelInbox.shutdown`) has the
ingestion stop within one model call, waits for that a bounded time, and never waits for a stuck thread
to exit; the posts of the interrupted batch are named like the others.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from telegram.ext import CallbackContext

from bot.archive import Archive
from bot.telegram.jobs.tasks import in_daemon_thread, wait_or_cancel
from ingest.loaders import ArticleLimits
from retrieval.errors import IngestLocked, NewsbotError
from retrieval.printable import printable
from retrieval.records import Article, IngestReport

BATCH_DELAY = 1.0
"""Seconds a post waits for the ones that follow it, so a burst is ingested together."""
RETRY_DELAYS = (5.0, 15.0, 60.0, 300.0)
"""Seconds before a failed ingestion is tried again: the first retry, the second, …, then the last forever."""
LOCKED_DELAY = 5.0
"""Seconds before an ingestion that another one held out (beyond its wait) is tried again."""
JOB_NAME = "newsbot-channel-posts"
log = logging.getLogger("newsbot.bot.channels")
Context = CallbackContext[Any, Any, Any, Any]


class Ingested(Enum):
    """How one channel's ingestion went."""

    DONE = "done"
    LOCKED = "locked"
    """Another ingestion held the collection beyond the wait: tried again soon."""
    FAILED = "failed"
    """The store failed, or the stopping bot cancelled it."""


@dataclass(slots=True)
class ChannelInbox:
    """Posts waiting for ingestion, by article id (a later edit replaces an earlier version), and the one
    job that ingests them. Used from the event loop only."""

    archive: Archive
    limits: ArticleLimits
    stopping: threading.Event = field(default_factory=threading.Event)
    """The bot's: set when it stops (an ingestion running then is cancelled, nothing new is scheduled)."""
    batch_delay: float = BATCH_DELAY
    retry_delays: tuple[float, ...] = RETRY_DELAYS
    locked_delay: float = LOCKED_DELAY
    wait: float = 0.0
    """Seconds an ingestion waits for another one holding the collection (``NEWSBOT_INGEST_WAIT``)."""
    pending: dict[str, tuple[str, Article]] = field(default_factory=dict)
    failures: int = 0
    scheduled: bool = False
    """A flush is queued or running: new posts join the next one."""
    task: asyncio.Task[None] | None = None
    """The flush running now."""
    interrupted: set[str] = field(default_factory=set)
    """Posts whose ingestion the stopping bot cancelled (some may be in the archive, some not)."""

    def add(self, root: str, article: Article, context: Context) -> None:
        self.pending[article.id] = (root, article)
        self._schedule(context, self.batch_delay)

    def _schedule(self, context: Context, delay: float) -> None:
        if self.scheduled or self.stopping.is_set():
            return
        if context.job_queue is None:
            raise RuntimeError("channel posts need the JobQueue (python-telegram-bot[job-queue])")
        context.job_queue.run_once(self._start_flush, delay, name=JOB_NAME)
        self.scheduled = True

    async def _start_flush(self, context: Context) -> None:
        """The job: the flush as a task of its own, which a stopping bot can wait for or cancel."""
        if self.stopping.is_set():
            self.scheduled = False
            return
        self.task = asyncio.create_task(self._flush(context), name=JOB_NAME)

    async def shutdown(self, wait: float) -> None:
        """The bot is stopping (``stopping`` is set): wait for a running flush, at most ``wait`` seconds,
        then cancel it (its posts stay in the inbox, to be named)."""
        await wait_or_cancel(self.task, wait, log, "the channel posts' ingestion")

    async def _flush(self, context: Context) -> None:
        batch, self.pending = self.pending, {}
        by_root: dict[str, list[Article]] = {}
        for root, article in batch.values():
            by_root.setdefault(root, []).append(article)
        outcomes: dict[str, Ingested] = {}
        try:
            for root, articles in by_root.items():
                if self.stopping.is_set():
                    break
                outcomes[root] = await self._ingest(root, articles)
        finally:  # what was not ingested goes back in, unless a newer version came meanwhile
            self.scheduled = False
            for root, articles in by_root.items():
                for article in articles if outcomes.get(root) != Ingested.DONE else []:
                    self.pending.setdefault(article.id, (root, article))
        failed = any(outcomes.get(root) not in (Ingested.DONE, Ingested.LOCKED) for root in by_root)
        self.failures = self.failures + 1 if failed else 0
        if self.pending and not self.stopping.is_set():
            self._schedule(context, self._next_delay(failed, Ingested.LOCKED in outcomes.values()))

    def _next_delay(self, failed: bool, locked: bool) -> float:
        """When the posts still waiting are tried: soon when another ingestion held the collection (it
        answered), later and later while the store fails."""
        if failed:
            delay = self.retry_delays[min(self.failures, len(self.retry_delays)) - 1]
        elif locked:
            delay = self.locked_delay
        else:
            return self.batch_delay
        log.warning("%d channel post(s) wait; trying again in %.0f s", len(self.pending), delay)
        return delay

    async def _ingest(self, root: str, articles: list[Article]) -> Ingested:
        """Ingest one channel's posts; how that went (logged)."""
        try:
            report = await in_daemon_thread(
                lambda: self._run(root, articles), name=f"newsbot-{root.replace(':', '-')}"
            )
        except asyncio.CancelledError:  # the bot stopped and did not wait any longer
            self.interrupted |= {a.id for a in articles}
            raise
        except NewsbotError as exc:
            log.warning("could not ingest %d post(s) of %s: %s", len(articles), root, printable(str(exc)))
            return Ingested.LOCKED if isinstance(exc, IngestLocked) else Ingested.FAILED
        except Exception:
            log.exception("ingesting %d post(s) of %s failed unexpectedly", len(articles), root)
            return Ingested.FAILED
        if report.cancelled:
            self.interrupted |= {a.id for a in articles}
            log.warning("the ingestion of %d post(s) of %s stopped with the bot", len(articles), root)
            return Ingested.FAILED
        log.info(
            "ingested %d post(s) of %s: %d added, %d updated, %d unchanged",
            len(articles),
            root,
            report.added,
            report.updated,
            report.unchanged,
        )
        return Ingested.DONE

    def _run(self, root: str, articles: list[Article]) -> IngestReport:
        ingestion = self.archive.ingestion(progress=lambda _: None, cancel=self.stopping, wait=self.wait)
        return ingestion.run_articles(articles, root)

    def report_unsaved(self) -> None:
        """When the bot stops: name each post that was not ingested, so none is lost without a word."""
        for root, article in self.pending.values():
            if article.id in self.interrupted:
                log.warning(
                    "channel post %s (%s): its ingestion stopped with the bot; it may be missing from the "
                    "archive",
                    article.url,
                    root,
                )
            else:
                log.warning("channel post %s (%s) was not ingested before the bot stopped", article.url, root)
