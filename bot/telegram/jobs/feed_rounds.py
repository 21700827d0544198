"""The bot's feed rounds: every ``NEWSBOT_FEED_INTERVAL`` minutes (the first soon after start) and on
``/pollfeeds``, the feeds are polled and what they bring is ingested.

The feed list lives with the archive in the store (:mod:`ingest.feeds.registry`), so every replica and
``newsbot watch`` share it. A round (:class:`ingest.feeds.poll.FeedPoller`) runs in a worker thread,
one process at a time (its lease: a round while another process polls does nothing and says who does).
A round that fails (the store is down) is logged and the next one tries again: the bot keeps answering.
Rounds run one at a time per process, as a task of their own, so a stopping bot does not wait for one:
it asks the round to stop and waits at most ``STOP_WAIT`` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.archive import Archive
from bot.present.feeds import render_poll, summary
from bot.telegram.jobs.tasks import wait_or_cancel
from ingest.feeds.poll import FeedPoller, PollReport
from retrieval.errors import NewsbotError
from retrieval.printable import printable

if TYPE_CHECKING:
    from telegram.ext import JobQueue

    from bot.telegram.context import BotContext
    from bot.telegram.jobs.ingestion import StatusBoard
    from ingest.feeds.registry import FeedRegistry

FIRST_POLL = 10.0
"""Seconds after the start before the first round (the model and the store are loaded by then)."""
STOP_WAIT = 10.0
JOB_NAME = "newsbot-feeds"
log = logging.getLogger("newsbot.bot.feeds")


@dataclass(slots=True)
class FeedPolling:
    """This process's feed rounds: one at a time, each a task of its own (``start``), and the registry."""

    archive: Archive
    cancel: threading.Event = field(default_factory=threading.Event)
    task: asyncio.Task[PollReport | None] | None = None
    _poller: FeedPoller | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def registry(self) -> FeedRegistry:
        """The feed list of the archive's store (blocks; StoreUnavailable while the store is down)."""
        return self.poller().registry

    def poller(self) -> FeedPoller:
        """The poller, made on first use and kept (its lease's owner stays the same from round to round)."""
        store = self.archive.answerer().store
        with self._lock:
            if self._poller is None:
                self._poller = FeedPoller(store, self.archive.embeddings, self.archive.settings)
            return self._poller

    def start(self, *, only_due: bool, board: StatusBoard | None = None) -> asyncio.Task[PollReport | None]:
        """Start a round (the caller has checked ``running``); ``board`` is told how it went."""
        if self.running:
            raise RuntimeError("a feed poll is already running")
        self.task = asyncio.create_task(self._round(only_due, board), name=JOB_NAME)
        return self.task

    async def _round(self, only_due: bool, board: StatusBoard | None) -> PollReport | None:
        report: PollReport | None = None
        try:
            report = await asyncio.to_thread(self._poll, only_due)
            if report.outcomes or report.held_by:
                log.info("feed poll: %s", summary(report))
        except NewsbotError as exc:
            log.warning("the feeds could not be polled: %s", printable(str(exc)))
        except Exception:
            log.exception("the feed poll failed unexpectedly")
        if board is not None:
            first, *rest = render_poll(report)
            await _tell(board.edit, first)
            for part in rest:
                await _tell(board.send, part)
        return report

    def _poll(self, only_due: bool) -> PollReport:
        poller = self.poller()
        if not poller.registry.feeds():  # nothing to do: no lease taken, the archive left alone
            return PollReport([])
        return poller.poll(self.cancel, only_due=only_due)

    async def shutdown(self, wait: float = STOP_WAIT) -> None:
        """Ask a running round to stop and wait for it, at most ``wait`` seconds (the bot is stopping)."""
        self.cancel.set()
        await wait_or_cancel(self.task, wait, log, "the feed poll")


async def _tell(action: Callable[[str], Any], html: str) -> None:
    try:
        await action(html)
    except Exception:
        log.warning("could not show how the feed poll went", exc_info=True)


async def on_poll_due(context: BotContext) -> None:
    """The JobQueue's timer: a round over the feeds that are due, unless one runs."""
    polling = context.services.feeds
    if polling.running:
        log.info("feed poll skipped: the previous round is still running")
        return
    polling.start(only_due=True)


def schedule_feed_rounds(job_queue: JobQueue[BotContext] | None, minutes: float) -> None:
    """A round every ``minutes`` (``NEWSBOT_FEED_INTERVAL``), the first soon after start."""
    if job_queue is None:
        raise RuntimeError("feed polling needs the JobQueue (python-telegram-bot[job-queue])")
    interval = minutes * 60
    job_queue.run_repeating(on_poll_due, interval, first=min(FIRST_POLL, interval), name=JOB_NAME)
