"""News feeds in the bot: the polling job of ``newsbot serve`` and the admins' feed commands.

    /feeds                  the list: last poll, last success, last error, articles added
    /addfeed URL [source]   add a feed (the source names its outlet; else the feed's own title)
    /removefeed URL         remove it (its articles stay in the archive)
    /pollfeeds              poll every feed now; the status message ends with each feed's outcome

The feed list lives with the archive in the store (:mod:`ingest.feeds.registry`), so every replica and
``newsbot watch`` share it. PTB's JobQueue starts a round every ``NEWSBOT_FEED_INTERVAL`` minutes (the first
soon after start) over the feeds not polled in the last interval; the round itself
(:class:`ingest.feeds.poll.FeedPoller`) runs in a worker thread, one process at a time (its lease: a round
while another process polls does nothing and says who does). A round that fails (the store is down) is
logged and the next one tries again: the bot keeps answering. Rounds run one at a time per process, as a
task of their own, so a stopping bot does not wait for one: it asks the round to stop and waits at most
``STOP_WAIT`` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot.archive import Archive
from bot.handlers import command_argument
from bot.handlers_admin import MessageBoard, _admin
from bot.ingest_job import StatusBoard
from bot.render import escape, link
from bot.render_split import split_html
from bot.services import services_of
from ingest.feeds.poll import FeedOutcome, FeedPoller, PollReport
from ingest.feeds.registry import Feed, FeedError, FeedRegistry
from retrieval.errors import NewsbotError
from retrieval.printable import printable
from retrieval.settings import Settings

KEY = "newsbot.feeds"
FIRST_POLL = 10.0
"""Seconds after the start before the first round (the model and the store are loaded by then)."""
STOP_WAIT = 10.0
JOB_NAME = "newsbot-feeds"
log = logging.getLogger("newsbot.bot.feeds")
AnyApp = Application[Any, Any, Any, Any, Any, Any]
T = TypeVar("T")


# ---- rendering (pure) --------------------------------------------------------------------------------


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "never"


def render_feeds(feeds: list[Feed], interval: float) -> list[str]:
    """The feed list for ``/feeds``, in messages under Telegram's limit."""
    if not feeds:
        return ["No feeds yet. Add one: <code>/addfeed URL [source]</code>"]
    lines = [f"📰 <b>{len(feeds)} feed(s)</b>, polled every {interval:g} min:"]
    for n, feed in enumerate(feeds, 1):
        name = escape(feed.source) + " · " if feed.source else ""
        lines.append(f"\n{n}. {name}{link(feed.url, feed.url)}")
        lines.append(
            f"last poll: {_when(feed.last_poll)} · last success: {_when(feed.last_success)} · "
            f"articles added: {feed.articles_added}"
        )
        if feed.last_error:
            lines.append(f"⚠️ last error: {escape(printable(feed.last_error))}")
    return split_html("\n".join(lines))


def _outcome_line(outcome: FeedOutcome) -> str:
    url = escape(outcome.url)
    if outcome.error is not None:
        return f"❌ {url}: {escape(printable(outcome.error))}"
    if outcome.not_modified:
        return f"✅ {url}: not modified since the last poll"
    counts = f"{outcome.added} added, {outcome.updated} updated, {outcome.unchanged} unchanged"
    warned = f" ({len(outcome.warnings)} warning(s), see the log)" if outcome.warnings else ""
    return f"✅ {url}: {counts}{warned}"


def render_poll(report: PollReport | None) -> list[str]:
    """How a ``/pollfeeds`` round went, for its status message (None: it failed, see the log)."""
    if report is None:
        return ["❌ The feeds could not be polled; the details are in the log."]
    if report.held_by is not None:
        return [f"⏳ Another process is polling the feeds ({escape(printable(report.held_by))}); try later."]
    if not report.outcomes:
        return ["No feeds to poll. Add one: <code>/addfeed URL [source]</code>"]
    done = "⏹ Feed poll cancelled" if report.cancelled else "Feed poll finished"
    failed = f", {len(report.failed)} failed" if report.failed else ""
    head = f"{done}: {len(report.outcomes)} feed(s){failed}."
    lines = [head, *map(_outcome_line, report.outcomes)]
    if report.postponed:
        lines.append(f"⏳ {len(report.postponed)} more feed(s) wait for the next round: {_POSTPONED}.")
    return split_html("\n".join(lines))


_POSTPONED = "another ingestion holds the archive"


def summary(report: PollReport) -> str:
    """One line for the log."""
    if report.held_by is not None:
        return f"skipped: {printable(report.held_by)} is polling"
    added = sum(o.added for o in report.outcomes)
    updated = sum(o.updated for o in report.outcomes)
    line = f"{len(report.outcomes)} feed(s), {added} added, {updated} updated, {len(report.failed)} failed"
    if report.postponed:
        line += f", {len(report.postponed)} left for the next round ({_POSTPONED})"
    return line


# ---- the rounds --------------------------------------------------------------------------------------


@dataclass(slots=True)
class FeedPolling:
    """This process's feed rounds: one at a time, each a task of its own (``start``), and the registry."""

    archive: Archive
    settings: Settings
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
                self._poller = FeedPoller(store, self.archive.embeddings, self.settings)
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
        if self.task is None or self.task.done():
            return
        done, _ = await asyncio.wait({self.task}, timeout=wait)
        if not done:
            log.warning("the feed poll did not stop within %.0f s; leaving it", wait)
            self.task.cancel()


async def _tell(action: Callable[[str], Any], html: str) -> None:
    try:
        await action(html)
    except Exception:
        log.warning("could not show how the feed poll went", exc_info=True)


def polling_of(bot_data: dict[Any, Any]) -> FeedPolling:
    polling = bot_data[KEY]
    assert isinstance(polling, FeedPolling)
    return polling


async def on_poll_due(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The JobQueue's timer: a round over the feeds that are due, unless one runs."""
    polling = polling_of(context.bot_data)
    if polling.running:
        log.info("feed poll skipped: the previous round is still running")
        return
    polling.start(only_due=True)


# ---- the commands ------------------------------------------------------------------------------------


async def _registry_call(polling: FeedPolling, work: Callable[[FeedRegistry], T]) -> T:
    return await asyncio.to_thread(lambda: work(polling.registry()))


async def on_feeds(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, polling = services_of(context.bot_data), polling_of(context.bot_data)
    message = await _admin(update, services, "/feeds", "/feeds")
    if message is None:
        return
    feeds = await _registry_call(polling, lambda registry: registry.feeds())
    for part in render_feeds(feeds, services.settings.feed_interval):
        await message.reply_html(part, do_quote=False)


async def on_addfeed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, polling = services_of(context.bot_data), polling_of(context.bot_data)
    argument = command_argument(update.effective_message.text if update.effective_message else "")
    message = await _admin(update, services, "/addfeed", f"/addfeed {argument}".strip())
    if message is None:
        return
    url, source = [*argument.split(maxsplit=1), "", ""][:2]
    if not url:
        await message.reply_html(
            "Give the feed's URL, e.g. <code>/addfeed https://example.org/rss.xml</code>"
        )
        return

    def add(registry: FeedRegistry) -> tuple[Feed, bool]:
        known = registry.get(url) is not None
        return registry.add(url, source.strip() or None), known

    try:
        feed, known = await _registry_call(polling, add)
    except FeedError as exc:
        await message.reply_html(f"⚠️ {escape(printable(str(exc)))}")
        return
    named = f" ({escape(feed.source)})" if feed.source else ""
    if known:
        await message.reply_html(f"{escape(feed.url)}{named} is in the feed list already.")
        return
    every = services.settings.feed_interval
    await message.reply_html(
        f"✅ Added {escape(feed.url)}{named}: it is polled every {every:g} min; /pollfeeds polls now."
    )


async def on_removefeed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, polling = services_of(context.bot_data), polling_of(context.bot_data)
    url = command_argument(update.effective_message.text if update.effective_message else "").strip()
    message = await _admin(update, services, "/removefeed", f"/removefeed {url}".strip())
    if message is None:
        return
    if not url:
        await message.reply_html("Give the feed's URL, as /feeds lists it: <code>/removefeed URL</code>")
        return
    try:
        removed = await _registry_call(polling, lambda registry: registry.remove(url))
    except FeedError as exc:
        await message.reply_html(f"⚠️ {escape(printable(str(exc)))}")
        return
    if removed:
        await message.reply_html(f"Removed {escape(url)}; its articles stay in the archive.")
    else:
        await message.reply_html(f"{escape(url)} is not in the feed list (see /feeds).")


async def on_pollfeeds(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, polling = services_of(context.bot_data), polling_of(context.bot_data)
    message = await _admin(update, services, "/pollfeeds", "/pollfeeds")
    if message is None:
        return
    if polling.running:
        await message.reply_html("A feed poll is running already; /feeds shows how the feeds stand.")
        return
    status = await message.reply_html("⏳ Polling the feeds…")
    polling.start(only_due=False, board=MessageBoard(status))


def add_feed_handlers(app: AnyApp) -> None:
    """The feed commands, and the polling job (every ``NEWSBOT_FEED_INTERVAL`` minutes)."""
    services = services_of(app.bot_data)
    app.bot_data[KEY] = FeedPolling(services.archive, services.settings)
    messages = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("feeds", on_feeds, filters=messages))
    app.add_handler(CommandHandler("addfeed", on_addfeed, filters=messages))
    app.add_handler(CommandHandler("removefeed", on_removefeed, filters=messages))
    app.add_handler(CommandHandler("pollfeeds", on_pollfeeds, filters=messages))
    if app.job_queue is None:
        raise RuntimeError("feed polling needs the JobQueue (python-telegram-bot[job-queue])")
    interval = services.settings.feed_interval * 60
    app.job_queue.run_repeating(on_poll_due, interval, first=min(FIRST_POLL, interval), name=JOB_NAME)


async def stop_feed_polling(app: AnyApp) -> None:
    polling = app.bot_data.get(KEY)
    if isinstance(polling, FeedPolling):
        await polling.shutdown()
