"""Follows: ``/follow words [filters]``, ``/following`` (✖ buttons), ``/unfollow words``, and the alerts.

A chat follows words; when articles ingested afterwards (by any path and any process: feeds, channels,
uploads, ``newsbot ingest``) match them (:mod:`retrieval.follows.matching`), the chat is sent each article
once, with its title, date, outlet, link and the matching passage, under the follows it matches (an
article that matches five of a group's follows is one alert naming the five); a round's alerts for one
chat are one message (split under Telegram's limit when long). Follows live in the store
(:mod:`retrieval.follows.store`), so they survive restarts and are shared by replicas. A follow's words
are cut like a question's (``NEWSBOT_MAX_QUESTION_CHARS``, the reply says so); a chat has at most
``NEWSBOT_FOLLOWS_PER_CHAT`` follows and a person starts at most ``NEWSBOT_FOLLOWS_PER_USER`` across all
chats, caps that hold however many ``/follow`` arrive at once (the store's places, on every replica).

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
down) or while moving it (after sending), or a stopping bot (:func:`stop_alerts`, which ends a round
between two steps or two chats), leaves it: the next run matches the same articles again, and sends only
what no earlier round claimed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.handlers import admitted, command_argument, user_language, within_rate
from bot.keyboards import Unfollow, follows_keyboard, unless_unchanged
from bot.phrases import language, say
from bot.query_syntax import FilterError, parse_query
from bot.render import escape, passage_block
from bot.render_split import split_html
from bot.services import Services, services_of
from ingest.locking import Lease
from retrieval.errors import NewsbotError
from retrieval.follows.matching import Alert, FollowMatcher
from retrieval.follows.store import Follow, FollowStore, Refused
from retrieval.records import ArticleInfo, SearchFilters
from retrieval.store.client import CollectionMetadata

log = logging.getLogger("newsbot.bot.follows")
KEY = "newsbot.follows"
OVERLAP = 300.0
"""Seconds before the cursor that each round reads again (see the module docstring)."""
WORDS_SHOWN = 80
FOLLOWS_NAMED = 5
"""Follows named over an alert at most ("«a», «b», … and 3 more")."""


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


def follows_of(services: Services, bot_data: dict[object, object], bot_id: int) -> Follows:
    """This Application's :class:`Follows` (its bot is ``bot_id``), built on first use (blocking: call it
    in a worker thread; raises StoreUnavailable while the store is down)."""
    kept = bot_data.get(KEY)
    if isinstance(kept, Follows):
        return kept
    answerer = services.archive.answerer()
    store = answerer.store
    follow_store = FollowStore(store)
    matcher = FollowMatcher(
        store,
        services.archive.embeddings,
        max_chars=answerer.max_question_chars,
        config=answerer.searcher.config,
    )
    lease = Lease(CollectionMetadata(store.client, follow_store.name), f"alerts:{bot_id}")
    made = Follows(follow_store, bot_id, lease, matcher)
    bot_data[KEY] = made
    return made


def render_alerts(alerts: Sequence[Alert]) -> list[str]:
    """One chat's alerts of a round as messages: each article once, under a header naming the follows it
    matches (articles that match the same follows share one header), each article as in /search."""
    by_article: dict[str, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_article[alert.article.id].append(alert)
    by_follows: dict[tuple[str, ...], list[list[Alert]]] = defaultdict(list)
    for same in by_article.values():
        by_follows[tuple(dict.fromkeys(a.follow.id for a in same))].append(same)
    blocks = []
    for articles in by_follows.values():
        follows = list({a.follow.id: a.follow for a in articles[0]}.values())
        lang = follows[0].language
        undated = "без даты" if lang == "ru" else "undated"
        blocks.append(f"<b>{say('alert', lang, follows=named(follows, lang))}</b>")
        blocks.extend(passage_block(n, same[0].passage, undated) for n, same in enumerate(articles, 1))
    return split_html("\n\n".join(blocks))


def named(follows: Sequence[Follow], lang: str) -> str:
    """«words», «words» … of the first :data:`FOLLOWS_NAMED` follows, and how many more."""
    shown = ", ".join(f"«{shown_words(f)}»" for f in follows[:FOLLOWS_NAMED])
    more = len(follows) - FOLLOWS_NAMED
    return say("alert_more", lang, follows=shown, n=more) if more > 0 else shown


def shown_words(follow: Follow) -> str:
    words = follow.words if len(follow.words) <= WORDS_SHOWN else follow.words[: WORDS_SHOWN - 1] + "…"
    return escape(words)


async def send_alerts(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job: start a round as a task of its own, unless one is running or the bot is stopping. A
    failing store is logged; the next round comes anyway."""
    services = services_of(context.bot_data)
    if services.stopping.is_set():
        return
    try:
        follows = await asyncio.to_thread(follows_of, services, context.bot_data, context.bot.id)
    except NewsbotError as exc:
        log.warning("no alerts this round: %s", exc)
        return
    if follows.running:
        log.info("alert round skipped: the previous one is still running")
        return
    follows.task = asyncio.create_task(_round(follows, context.bot, services.stopping), name="alerts")


async def _round(follows: Follows, bot: Bot, stopping: threading.Event) -> None:
    try:
        await follows.run_round(bot, stopping)
    except NewsbotError as exc:
        log.warning("no alerts this round: %s", exc)
    except Exception:
        log.exception("the alert round failed unexpectedly")


async def stop_alerts(bot_data: dict[Any, Any], wait: float) -> None:
    """The bot is stopping (``Services.stopping`` is set): wait for a running round to end between two
    of its steps, at most ``wait`` seconds, then cancel it."""
    kept = bot_data.get(KEY)
    if not isinstance(kept, Follows) or kept.task is None or kept.task.done():
        return
    done, _ = await asyncio.wait({kept.task}, timeout=wait)
    if not done:
        log.warning("the alert round did not stop within %.0f s; cancelling it", wait)
        kept.task.cancel()
        await asyncio.wait({kept.task}, timeout=1.0)


def schedule_alerts(app: Application) -> None:  # type: ignore[type-arg]
    """Run :func:`send_alerts` every ``NEWSBOT_ALERT_INTERVAL`` seconds (the first after one interval)."""
    interval = services_of(app.bot_data).settings.alert_interval
    if app.job_queue is None:
        raise RuntimeError(
            "python-telegram-bot's job queue is missing: install python-telegram-bot[job-queue]"
        )
    app.job_queue.run_repeating(send_alerts, interval=interval, first=interval, name="alerts")


# -- commands ---------------------------------------------------------------------------------------


async def _chat_message(update: Update, services: Services) -> Message | None:
    message = update.effective_message
    if message is None or not await admitted(update, services) or not await within_rate(update, services):
        return None
    return message


async def on_follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    message = await _chat_message(update, services)
    if message is None:
        return
    lang = user_language(update)
    query = parse_query(command_argument(message.text))
    if not query.text:
        await message.reply_html(say("empty_follow", lang))
        return
    settings = services.settings
    user = update.effective_user
    user_id = user.id if user is not None else message.chat_id
    bot_id = context.bot.id

    def follow() -> tuple[tuple[Follow, bool] | Refused, str]:
        words = services.archive.answerer().bounded(query.text)  # cut as a question is
        filters = services.archive.filters(query)
        kept = follows_of(services, context.bot_data, bot_id)
        added = kept.store.add(
            message.chat_id,
            words,
            filters or SearchFilters(),
            language(lang),
            time.time(),
            user_id=user_id,
            per_chat=settings.follows_per_chat,
            per_user=settings.follows_per_user,
            vector=kept.matcher.vector(words),  # once, now: rounds never embed it
            vector_model=kept.matcher.model_id,
            bot_id=bot_id,
        )
        return added, words

    try:
        added, words = await asyncio.to_thread(follow)
    except FilterError as exc:
        await message.reply_html(say("bad_filter", lang, reason=escape(str(exc))))
        return
    if isinstance(added, Refused):
        full = "follows_full" if added.scope == "chat" else "follows_full_user"
        log.info(
            "chat %s, user %s: no more follows (%s cap %d)", message.chat_id, user_id, added.scope, added.most
        )
        await message.reply_html(say(full, lang, most=added.most))
        return
    followed, new = added
    log.info("chat %s follows %s (%s)", message.chat_id, followed.id, "new" if new else "again")
    reply = say("followed" if new else "already_following", lang, words=shown_words(followed))
    if words != query.text:
        reply += "\n" + say("follow_cut", lang, n=len(words))
    await message.reply_html(reply)


def _listing(follows: Sequence[Follow], lang: str | None) -> str:
    return say("following", lang) if follows else say("no_follows", lang)


async def on_following(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    message = await _chat_message(update, services)
    if message is None:
        return
    follows = await asyncio.to_thread(
        lambda: follows_of(services, context.bot_data, context.bot.id).store.of_chat(message.chat_id)
    )
    keyboard = follows_keyboard([(f.id, f.words) for f in follows])
    await message.reply_html(_listing(follows, user_language(update)), reply_markup=keyboard)


async def on_unfollow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/unfollow words``: stop the chat's follow of these words; without words, the list."""
    services = services_of(context.bot_data)
    message = update.effective_message
    words = command_argument(message.text if message else "").strip()
    if not words:
        await on_following(update, context)
        return
    message = await _chat_message(update, services)
    if message is None:
        return

    def unfollow() -> Follow | None:
        store = follows_of(services, context.bot_data, context.bot.id).store
        wanted = services.archive.answerer().bounded(parse_query(words).text)  # as /follow stored it
        for f in store.of_chat(message.chat_id):
            if f.words.casefold() == wanted.casefold():
                return store.remove(message.chat_id, f.id)
        return None

    removed = await asyncio.to_thread(unfollow)
    lang = user_language(update)
    if removed is None:
        await message.reply_html(say("not_following", lang, words=escape(words[:WORDS_SHOWN])))
        return
    log.info("chat %s unfollowed %s", message.chat_id, removed.id)
    await message.reply_html(say("unfollowed", lang, words=shown_words(removed)))


async def on_unfollow_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """✖ under /following: the follow is stopped and the list shows what is left."""
    services = services_of(context.bot_data)
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    if not services.access.is_allowed(query.from_user.id, chat.id):
        await query.answer()
        return
    pressed: object = query.data
    assert isinstance(pressed, Unfollow), "routed by pattern=Unfollow"

    def unfollow() -> tuple[Follow | None, list[Follow]]:
        store = follows_of(services, context.bot_data, context.bot.id).store
        return store.remove(chat.id, pressed.follow_id), store.of_chat(chat.id)

    removed, left = await asyncio.to_thread(unfollow)
    lang = user_language(update)
    # removed now, or by an earlier press or /unfollow: either way it is not followed any more
    await query.answer(say("unfollowed", lang, words=pressed.words[:WORDS_SHOWN]))
    if removed is not None:
        log.info("chat %s unfollowed %s", chat.id, removed.id)
    keyboard = follows_keyboard([(f.id, f.words) for f in left])
    with unless_unchanged():  # unchanged: the old keyboard stays, and so does its data
        await query.edit_message_text(_listing(left, lang), reply_markup=keyboard)
        with contextlib.suppress(KeyError):  # its other buttons' data go with it
            context.drop_callback_data(query)
