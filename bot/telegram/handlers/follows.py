"""Follows: ``/follow words [filters]``, ``/following`` (✖ buttons), ``/unfollow words``.

A chat follows words; when articles ingested afterwards match them, the chat is sent each article once
(:mod:`bot.telegram.jobs.alerts`). Follows live in the store (:mod:`retrieval.follows.store`), so they
survive restarts and are shared by replicas. A follow's words are cut like a question's
(``NEWSBOT_MAX_QUESTION_CHARS``, the reply says so); a chat has at most ``NEWSBOT_FOLLOWS_PER_CHAT``
follows and a person starts at most ``NEWSBOT_FOLLOWS_PER_USER`` across all chats, caps that hold however
many ``/follow`` arrive at once (the store's places, on every replica). A follow keeps the bot it was
made through, whose alerts it gets.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from telegram import Message, Update

from bot.present.follows import WORDS_SHOWN, follow_label, shown_words
from bot.present.markup import escape
from bot.present.phrases import language, say
from bot.query_syntax import FilterError, parse_query
from bot.telegram.context import BotContext
from bot.telegram.guards import admit, admitted, for_members
from bot.telegram.keyboards import Unfollow, drop_keyboard, follows_keyboard
from bot.telegram.messages import argument_of, command_argument, unless_unchanged, user_language
from retrieval.follows.store import Follow, Refused
from retrieval.records import SearchFilters
from retrieval.search.named import UnknownName
from retrieval.search.qualifying import check

log = logging.getLogger("newsbot.bot.follows")


@for_members()
async def on_follow(update: Update, context: BotContext, message: Message) -> None:
    services = context.services
    lang = user_language(update)
    query = parse_query(command_argument(message.text))
    if not query.text and not query.who:  # a who: name alone follows every article naming it
        await message.reply_html(say("empty_follow", lang))
        return
    settings = services.settings
    user = update.effective_user
    user_id = user.id if user is not None else message.chat_id
    bot_id = context.bot.id

    def follow() -> tuple[tuple[Follow, bool] | Refused, str, UnknownName | None]:
        words = services.archive.answerer().bounded(query.text)  # cut as a question is
        filters = services.archive.filters(query)
        unnamed = check(services.archive.answerer().store, words, filters or SearchFilters())
        kept = services.follows_for(bot_id)
        added = kept.store.add(
            message.chat_id,
            words,
            filters or SearchFilters(),
            language(lang),
            time.time(),
            user_id=user_id,
            per_chat=settings.follows_per_chat,
            per_user=settings.follows_per_user,
            vector=kept.matcher.vector(words or query.who),  # once, now: rounds never embed it
            vector_model=kept.matcher.model_id,
            bot_id=bot_id,
        )
        return added, words, unnamed

    try:
        added, words, unnamed = await asyncio.to_thread(follow)
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
    if unnamed is not None and new:  # followed all the same: the first article to name it alerts
        nearest = escape(", ".join(unnamed.nearest)) or "—"
        reply += "\n" + say("follow_unnamed", lang, name=escape(unnamed.name), nearest=nearest)
    await message.reply_html(reply)


def _listing(follows: Sequence[Follow], lang: str | None) -> str:
    return say("following", lang) if follows else say("no_follows", lang)


@for_members()
async def on_following(update: Update, context: BotContext, message: Message) -> None:
    services = context.services
    follows = await asyncio.to_thread(
        lambda: services.follows_for(context.bot.id).store.of_chat(message.chat_id)
    )
    keyboard = follows_keyboard([(f.id, follow_label(f)) for f in follows])
    await message.reply_html(_listing(follows, user_language(update)), reply_markup=keyboard)


async def on_unfollow(update: Update, context: BotContext) -> None:
    """``/unfollow words``: stop the chat's follow of these words; without words, the list."""
    services = context.services
    words = argument_of(update).strip()
    if not words:
        await on_following(update, context)
        return
    message = await admitted(update, services)
    if message is None:
        return

    def unfollow() -> Follow | None:
        store = services.follows_for(context.bot.id).store
        asked = parse_query(words)
        wanted = services.archive.answerer().bounded(asked.text)  # as /follow stored it
        for f in store.of_chat(message.chat_id):
            same_who = not asked.who or f.filters.who.casefold() == asked.who.casefold()
            if f.words.casefold() == wanted.casefold() and same_who:
                return store.remove(message.chat_id, f.id)
        return None

    removed = await asyncio.to_thread(unfollow)
    lang = user_language(update)
    if removed is None:
        await message.reply_html(say("not_following", lang, words=escape(words[:WORDS_SHOWN])))
        return
    log.info("chat %s unfollowed %s", message.chat_id, removed.id)
    await message.reply_html(say("unfollowed", lang, words=shown_words(removed)))


async def on_unfollow_button(update: Update, context: BotContext) -> None:
    """✖ under /following: the follow is stopped and the list shows what is left."""
    services = context.services
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None or not await admit(update, services, counts=False):
        return
    pressed: object = query.data
    assert isinstance(pressed, Unfollow), "routed by pattern=Unfollow"

    def unfollow() -> tuple[Follow | None, list[Follow]]:
        store = services.follows_for(context.bot.id).store
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
        drop_keyboard(query, context)  # its other buttons' data go with it
