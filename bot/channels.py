"""Telegram channels as a live source: each post (and edit) in a listed channel becomes an article.

The bot must be an administrator of the channel (Telegram sends channel posts only to those); the channels
it reads are listed in ``NEWSBOT_CHANNELS`` (ids like ``-1001234567890`` or ``@names``). A post with text,
or a caption, becomes the article ``tg:<chat id>:<message id>`` with the post's date, its ``t.me`` link and
the channel's title as the outlet; an edit replaces it (same id, the pipeline re-embeds what changed). A post
from another channel, or media without text, is skipped (and said in the log).

Posts are collected in a :class:`ChannelInbox` and ingested together a moment later (a burst of posts is
one ingestion per channel, through PTB's JobQueue, in a worker thread), filed under ``channel:<chat id>``.
An ingestion waits for another one holding the collection (``NEWSBOT_INGEST_WAIT``); one that still
finds it held keeps its posts in the inbox and is tried again soon (:data:`LOCKED_DELAY`), one that fails
otherwise (the store is down) after a growing delay (:data:`RETRY_DELAYS`); a newer edit that arrived
meanwhile wins.
The inbox lives in memory: posts still waiting when the bot stops are named in the log (a warning per
post, with its link), so nothing is lost without a word.

A flush runs as a task of its own (the job only starts it) and its ingestion in a daemon thread, with
the bot's ``stopping`` event as its cancel: a stopping bot (:func:`stop_channel_ingestion`) has the
ingestion stop within one model call, waits for that a bounded time, and never waits for a stuck thread
to exit; the posts of the interrupted batch are named like the others.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from telegram import Chat, Message, Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.archive import Archive
from bot.ingest_job import in_daemon_thread
from bot.services import services_of
from ingest.loaders import ArticleLimits
from ingest.loaders.article import RawArticle, add_article
from retrieval.errors import IngestLocked, NewsbotError
from retrieval.printable import printable
from retrieval.records import Article, IngestReport, LoadResult

KEY = "newsbot.channels"
BATCH_DELAY = 1.0
"""Seconds a post waits for the ones that follow it, so a burst is ingested together."""
RETRY_DELAYS = (5.0, 15.0, 60.0, 300.0)
"""Seconds before a failed ingestion is tried again: the first retry, the second, …, then the last forever."""
LOCKED_DELAY = 5.0
"""Seconds before an ingestion that another one held out (beyond its wait) is tried again."""
JOB_NAME = "newsbot-channel-posts"
log = logging.getLogger("newsbot.bot.channels")
AnyApp = Application[Any, Any, Any, Any, Any, Any]


# ---- Telegram's shapes -> articles (pure) ------------------------------------------------------------


def post_link(post: Message) -> str:
    """The post's link (PTB's): ``t.me/<name>/<id>``, or ``t.me/c/<id without -100>/<id>`` for a channel
    without a username (it opens for the channel's members)."""
    link = post.link
    assert link is not None  # a channel's post always has one
    return link


def article_id(chat_id: int, message_id: int) -> str:
    return f"tg:{chat_id}:{message_id}"


def post_article(post: Message, limits: ArticleLimits) -> LoadResult:
    """The article a channel post makes (``articles``), or why it makes none (``skipped``: no text)."""
    link = post_link(post)
    raw = RawArticle(
        text=post.text or post.caption,
        id=article_id(post.chat.id, post.message_id),
        date=post.date.date().isoformat(),
        url=link,
        source=post.chat.title,
    )
    result = LoadResult()
    add_article(result, raw, limits, origin=link, fallback_id=raw.id or link)
    return result


def is_listed(chat: Chat, channels: Sequence[str]) -> bool:
    """Whether ``NEWSBOT_CHANNELS`` names the chat, by id or by @name (names compare without case, as
    Telegram's do)."""
    name = f"@{chat.username}".lower() if chat.username else None
    return any(entry == str(chat.id) or entry.lower() == name for entry in channels)


# ---- the inbox: posts waiting to be ingested ---------------------------------------------------------


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

    def add(self, root: str, article: Article, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.pending[article.id] = (root, article)
        self._schedule(context, self.batch_delay)

    def _schedule(self, context: ContextTypes.DEFAULT_TYPE, delay: float) -> None:
        if self.scheduled or self.stopping.is_set():
            return
        if context.job_queue is None:
            raise RuntimeError("channel posts need the JobQueue (python-telegram-bot[job-queue])")
        context.job_queue.run_once(self._start_flush, delay, name=JOB_NAME)
        self.scheduled = True

    async def _start_flush(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The job: the flush as a task of its own, which a stopping bot can wait for or cancel."""
        if self.stopping.is_set():
            self.scheduled = False
            return
        self.task = asyncio.create_task(self._flush(context), name=JOB_NAME)

    async def shutdown(self, wait: float) -> None:
        """The bot is stopping (``stopping`` is set): wait for a running flush, at most ``wait`` seconds,
        then cancel it (its posts stay in the inbox, to be named)."""
        if self.task is None or self.task.done():
            return
        done, _ = await asyncio.wait({self.task}, timeout=wait)
        if not done:
            log.warning("the channel posts' ingestion did not stop within %.0f s; leaving it", wait)
            self.task.cancel()
            await asyncio.wait({self.task}, timeout=1.0)

    async def _flush(self, context: ContextTypes.DEFAULT_TYPE) -> None:
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


# ---- the handlers ------------------------------------------------------------------------------------


def inbox_of(bot_data: dict[Any, Any]) -> ChannelInbox:
    inbox = bot_data[KEY]
    assert isinstance(inbox, ChannelInbox)
    return inbox


async def on_channel_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    post = update.channel_post or update.edited_channel_post
    if post is None:
        return
    chat = post.chat
    services = services_of(context.bot_data)
    link = post_link(post)
    if not is_listed(chat, services.settings.channels):
        log.info("ignored post %s: channel %s is not in NEWSBOT_CHANNELS", link, chat.id)
        return
    inbox = inbox_of(context.bot_data)
    result = post_article(post, inbox.limits)
    for problem in result.skipped:
        log.info("skipped channel post %s: %s", link, problem.reason)
    for problem in result.warnings:
        log.warning("channel post %s: %s", link, problem.reason)
    for article in result.articles:
        inbox.add(f"channel:{chat.id}", article, context)


def add_channel_handlers(app: AnyApp) -> None:
    """Read the listed channels' posts and edits into the archive (``NEWSBOT_CHANNELS``)."""
    services = services_of(app.bot_data)
    limits = ArticleLimits.from_settings(services.settings)
    app.bot_data[KEY] = ChannelInbox(
        services.archive, limits, stopping=services.stopping, wait=services.settings.ingest_wait
    )
    app.add_handler(MessageHandler(filters.UpdateType.CHANNEL_POSTS, on_channel_post))


async def stop_channel_ingestion(app: AnyApp, wait: float) -> None:
    """The bot is stopping: a running flush is cancelled (through ``stopping``) and waited for, at most
    ``wait`` seconds."""
    inbox = app.bot_data.get(KEY)
    if isinstance(inbox, ChannelInbox):
        await inbox.shutdown(wait)


async def report_unsaved_posts(app: AnyApp) -> None:
    inbox = app.bot_data.get(KEY)
    if isinstance(inbox, ChannelInbox):
        inbox.report_unsaved()
