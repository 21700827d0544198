"""The alerts of follows: every ``NEWSBOT_ALERT_INTERVAL`` seconds, the articles ingested since the last
round are matched against the follows, and each chat is sent each matching article once.

When articles ingested after a follow was made (by any path and any process: feeds, channels, uploads,
``newsbot ingest``) match it (:mod:`retrieval.follows.matching`), the chat is sent each article once,
with its title, date, outlet, link and the matching passage, under the follows it matches (an article
that matches five of a group's follows is one alert naming the five); a round's alerts for one chat are
one message (split under Telegram's limit when long).

A follow keeps the bot it was made through (its token's bot id), and its alerts go out through that bot
only: replicas may run with a token each, and a chat may have one of the bots alone (Telegram refuses a
message to a chat the bot is not in). Follows made before the bot was kept go out through any bot.

Every ``NEWSBOT_ALERT_INTERVAL`` seconds a job of the bot's ``JobQueue`` starts a round, as a task of its
own (a round still running then is left to finish, not doubled), in one replica of each bot only: the one
that holds the store's ``alerts:<bot id>`` lease (:class:`ingest.locking.Lease`). A round reads the
articles switched in since the newest one its bot matched before (less :data:`OVERLAP` seconds, for
clocks of other machines and writes that landed late; what was matched already is not matched again) and
matches them against the bot's follows at once, in steps (:meth:`FollowMatcher.steps`: each in a worker
thread, its model calls background work that questions go ahead of). Then, chat by chat, it claims each
(follow, article) as sent *before* sending it (:meth:`FollowStore.claim`, with a token of its own: of
replicas or bots claiming at once, exactly one wins, and a pair claimed by an earlier round stays
claimed): at most once. A claim that raised may have landed unanswered (a server killed or restarted
mid-write): the next round claims those pairs again with the same token, and sends them if they are its.
A send that fails is logged and not retried, since a timed-out send may well have arrived, and a
duplicate alert is what a follower must never get; a missed one is still found by /ask and /search.

The cursor moves only when a round has gone through every chat. A round that fails before (the store
down) or while moving it (after sending), or a stopping bot (:meth:`Follows.shutdown`, which ends a round
between two steps or two chats), leaves it: the next run matches the same articles again, and sends only
what no earlier round claimed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram import Bot
from telegram.error import TelegramError

from bot.archive import Archive
from bot.present.follows import render_alerts
from bot.telegram.jobs.tasks import wait_or_cancel
from ingest.locking import Lease
from retrieval.errors import NewsbotError
from retrieval.follows.matching import Alert, FollowMatcher
from retrieval.follows.store import Follow, FollowStore
from retrieval.records import ArticleInfo
from retrieval.store.client import CollectionMetadata

if TYPE_CHECKING:
    from telegram.ext import JobQueue

    from bot.telegram.context import BotContext

log = logging.getLogger("newsbot.bot.follows")
OVERLAP = 300.0
"""Seconds before the cursor that each round reads again (see the module docstring)."""
JOB_NAME = "alerts"


@dataclass(frozen=True, slots=True)
class Round:
    """What one round matches: every follow, the articles new since ``cursor``."""

    follows: list[Follow]
    new: list[ArticleInfo]
    cursor: float | None


Pair = tuple[str, str]
"""(follow id, article id)"""


@dataclass(slots=True)
class Follows:
    """The follows' store, this bot's id and its ``alerts:<bot id>`` lease, the matcher, what this
    process matched lately (by article id: its switch time), the claims that raised (by pair: the
    claim's token) and the round running now, built on first use from the archive."""

    store: FollowStore
    bot_id: int
    lease: Lease
    matcher: FollowMatcher
    matched: dict[str, float] = field(default_factory=dict)
    unanswered: dict[Pair, str] = field(default_factory=dict)
    task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    @classmethod
    def build(cls, archive: Archive, bot_id: int) -> Follows:
        """The follows of ``archive``'s store for the bot ``bot_id`` (blocking: call it in a worker thread;
        raises StoreUnavailable while the store is down)."""
        answerer = archive.answerer()
        store = answerer.store
        follow_store = FollowStore(store)
        matcher = FollowMatcher(
            store,
            archive.embeddings,
            max_chars=answerer.max_question_chars,
            config=answerer.searcher.config,
        )
        lease = Lease(CollectionMetadata(store.client, follow_store.name), f"alerts:{bot_id}")
        return cls(follow_store, bot_id, lease, matcher)

    def begin(self) -> Round | None:
        """What a round is to match (blocking); None unless this process holds its bot's lease and there
        are follows the bot sends and new articles."""
        chunks = self.store.store
        if not chunks.exists() or not self.lease.try_take():
            return None
        follows = self.store.sent_by(self.bot_id)
        if not follows:
            return None
        cursor = self.store.cursor(self.bot_id)
        since = max(cursor or 0.0, min(f.created for f in follows)) - OVERLAP
        self.matched = {aid: t for aid, t in self.matched.items() if t > since}
        new = [a for a in chunks.ingested_after(since) if self.matched.get(a.id) != a.ingested]
        ids = {a.id for a in new}
        self.unanswered = {pair: t for pair, t in self.unanswered.items() if pair[1] in ids}
        return Round(follows, new, cursor) if new else None

    def finish(self, done: Round) -> None:
        """The round's articles were matched and their alerts sent (blocking): the cursor moves on."""
        newest = max(a.ingested or 0.0 for a in done.new)
        if done.cursor is None or newest > done.cursor:
            self.store.set_cursor(newest, self.bot_id)
        self.matched |= {a.id: a.ingested or 0.0 for a in done.new}

    async def run_round(self, bot: Bot, stopping: threading.Event) -> None:
        """One round: match in steps, then claim and send chat by chat; ends early once ``stopping``."""
        planned = await asyncio.to_thread(self.begin)
        if planned is None:
            return
        log.info("alert round: %d follow(s), %d new article(s)", len(planned.follows), len(planned.new))
        steps = self.matcher.steps(planned.follows, planned.new)
        alerts: list[Alert] = []
        while not stopping.is_set():
            step = await asyncio.to_thread(next, steps, None)
            if step is None:
                break
            alerts += step
        by_chat: dict[int, list[Alert]] = defaultdict(list)
        for alert in alerts:
            by_chat[alert.follow.chat_id].append(alert)
        for chat_id, chat_alerts in by_chat.items():
            if stopping.is_set():
                break
            await self._alert(bot, chat_id, chat_alerts)
        if stopping.is_set():
            log.info("alert round left unfinished: the bot is stopping (the next run takes it up)")
            return
        await asyncio.to_thread(self.finish, planned)

    def claim(self, pairs: Sequence[Pair], now: float) -> set[Pair]:
        """Those of ``pairs`` that are this round's to send (blocking): claimed with a new token, but a
        pair whose claim raised before with that claim's token, so that a claim that landed unanswered
        is sent now rather than never."""
        by_token: dict[str, list[Pair]] = defaultdict(list)
        fresh = uuid.uuid4().hex
        for pair in pairs:
            by_token[self.unanswered.get(pair, fresh)].append(pair)
        mine: set[Pair] = set()
        for token, some in by_token.items():
            try:
                mine |= self.store.claim(some, token, now)
            except Exception:
                self.unanswered |= dict.fromkeys(some, token)
                raise
            for pair in some:
                self.unanswered.pop(pair, None)
        return mine

    async def _alert(self, bot: Bot, chat_id: int, alerts: list[Alert]) -> None:
        """Claim the chat's (follow, article) pairs and send those that are this round's to send."""
        pairs = [(a.follow.id, a.article.id) for a in alerts]
        mine = await asyncio.to_thread(self.claim, pairs, time.time())
        alerts = [a for a, pair in zip(alerts, pairs, strict=True) if pair in mine]
        if not alerts:
            return
        articles = len({a.article.id for a in alerts})
        log.info("alerting chat %s: %d article(s)", chat_id, articles)
        try:
            for part in render_alerts(alerts):
                await bot.send_message(chat_id, part)
        except TelegramError as exc:
            log.warning("could not alert chat %s (%d article(s) not sent): %s", chat_id, articles, exc)

    async def shutdown(self, wait: float) -> None:
        """The bot is stopping (its ``stopping`` is set): wait for a running round to end between two of
        its steps, at most ``wait`` seconds, then cancel it."""
        await wait_or_cancel(self.task, wait, log, "the alert round", "cancelling it")


async def send_alerts(context: BotContext) -> None:
    """The job: start a round as a task of its own, unless one is running or the bot is stopping. A
    failing store is logged; the next round comes anyway."""
    services = context.services
    if services.stopping.is_set():
        return
    try:
        follows = await asyncio.to_thread(services.follows_for, context.bot.id)
    except NewsbotError as exc:
        log.warning("no alerts this round: %s", exc)
        return
    if follows.running:
        log.info("alert round skipped: the previous one is still running")
        return
    follows.task = asyncio.create_task(_round(follows, context.bot, services.stopping), name=JOB_NAME)


async def _round(follows: Follows, bot: Bot, stopping: threading.Event) -> None:
    try:
        await follows.run_round(bot, stopping)
    except NewsbotError as exc:
        log.warning("no alerts this round: %s", exc)
    except Exception:
        log.exception("the alert round failed unexpectedly")


def schedule_alerts(job_queue: JobQueue[BotContext] | None, interval: float) -> None:
    """Run :func:`send_alerts` every ``interval`` seconds (``NEWSBOT_ALERT_INTERVAL``; the first after one
    interval)."""
    if job_queue is None:
        raise RuntimeError(
            "python-telegram-bot's job queue is missing: install python-telegram-bot[job-queue]"
        )
    job_queue.run_repeating(send_alerts, interval=interval, first=interval, name=JOB_NAME)
