"""What people do: ask (private text, mentions and replies in groups, /ask), /search, /stats, /help.

Each handler parses, runs the blocking work in a thread (``asyncio.to_thread``), and renders. Failures
go to the one error handler (:mod:`bot.errors`), which apologises to the user.

Before any work: the allow-list, then the rate limit (questions, searches, /stats and /help all count);
then a question or search waits for the asker's previous ones (one at a time per user, in order), so one
user never holds more than one answering slot while others wait. Each refusal is said once per window
(:mod:`bot.access`): a flood gets a reply or two, not one per message.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.keyboards import ShownAnswer, answer_keyboard, page_keyboard
from bot.phrases import render_help, say
from bot.query_syntax import FilterError, Query, parse_query
from bot.render import SearchPages, escape, render_answer, render_search, render_stats
from bot.services import Services, services_of
from bot.threads import threads_of
from retrieval.answer.thread import Thread
from retrieval.errors import NewsbotError
from retrieval.records import Answer

SEARCH_RESULTS = 20
T = TypeVar("T")
log = logging.getLogger("newsbot.bot")


def user_language(update: Update) -> str | None:
    return update.effective_user.language_code if update.effective_user else None


def command_argument(text: str | None) -> str:
    """What follows ``/command`` (or ``/command@bot``), newlines and quotes kept."""
    parts = (text or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def addressed_text(message: Message, bot: Bot) -> str | None:
    """The question in ``message`` if it is meant for the bot, without the @mention; else None.

    In a private chat every text is; in a group only one that mentions the bot or replies to it.
    """
    text = message.text or ""
    mentions = [
        e
        for e in message.entities
        if (e.type == MessageEntity.MENTION and message.parse_entity(e).lower() == f"@{bot.username}".lower())
        or (e.type == MessageEntity.TEXT_MENTION and e.user is not None and e.user.id == bot.id)
    ]
    for entity in sorted(mentions, key=lambda e: -e.offset):
        text = text.replace(message.parse_entity(entity), " ", 1)
    if message.chat.type == ChatType.PRIVATE:
        return text
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
    return text if mentions or to_bot else None


async def admitted(update: Update, services: Services) -> bool:
    """Allow-listed (or no allow-list); someone else gets one polite refusal, then silence."""
    user = update.effective_user
    chat = update.effective_chat
    user_id, chat_id = (user.id if user else None), (chat.id if chat else None)
    if services.access.is_allowed(user_id, chat_id):
        return True
    log.info("refused user %s in chat %s: not on the allow-list", user_id, chat_id)
    message = update.effective_message
    if message is not None and services.access.first_refusal(user_id, chat_id):
        await message.reply_html(say("not_allowed", user_language(update), user_id=user_id))
    return False


async def within_rate(update: Update, services: Services) -> bool:
    """Under the user's rate limit (and it counts); over it, told once until they may ask again."""
    user = update.effective_user
    limited = services.limiter.check(user.id) if user else None
    if limited is None:
        return True
    message = update.effective_message
    if limited.tell and message is not None:
        seconds = max(1, round(limited.wait))
        await message.reply_html(say("rate_limited", user_language(update), seconds=seconds))
    return False


async def work_on(
    update: Update,
    services: Services,
    raw: str,
    usage: str,
    work: Callable[[Query], T],
    reply: Callable[[Message, T], Awaitable[None]],
) -> None:
    """Admit the asker, parse ``raw``, run ``work`` in a thread within the global answering limit, and
    ``reply`` with what it returns.

    The asker's questions are worked on and replied to one at a time, in the order sent (checked against
    the rate limit as they arrive). Nothing is done when not admitted or rate-limited; without a question
    the usage is shown; a filter mistake is explained.
    """
    message = update.effective_message
    if message is None or not await admitted(update, services) or not await within_rate(update, services):
        return
    query = parse_query(raw)
    if not query.text:
        await message.reply_html(say(usage, user_language(update)))
        return
    asker = update.effective_user.id if update.effective_user else message.chat_id
    async with services.turns.turn(asker):
        try:  # "typing…" while the answer is computed: a nicety, its failure is not the answer's
            await message.chat.send_action(ChatAction.TYPING)
        except TelegramError as exc:
            log.info("no typing action in chat %s: %s", message.chat_id, exc)
        try:
            async with services.answering:
                result = await asyncio.to_thread(work, query)
        except FilterError as exc:
            await message.reply_html(say("bad_filter", user_language(update), reason=escape(str(exc))))
            return
        await reply(message, result)


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, raw: str) -> None:
    """Answer ``raw``, as a follow-up when it continues a thread (:mod:`bot.threads`)."""
    services = services_of(context.bot_data)
    message = update.effective_message
    if message is None:
        return
    threads = threads_of(context.chat_data)
    asker = update.effective_user.id if update.effective_user else message.chat_id
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    window = services.settings.followup_minutes if message.chat.type == ChatType.PRIVATE else None
    continued: list[Thread | None] = []

    def ask(query: Query) -> Answer:  # in the asker's turn: the previous answer is remembered by now
        thread = threads.continued(
            asker, replied.message_id if replied and to_bot else None, time.time(), window
        )
        continued.append(thread)
        return services.archive.ask(query, thread)

    async def reply(message: Message, answer: Answer) -> None:
        keyboard = answer_keyboard(ShownAnswer.of(answer))
        parts = render_answer(answer)  # as many messages as it takes; the buttons under the last one
        sent = []
        for i, part in enumerate(parts):
            markup = keyboard if i == len(parts) - 1 else None
            sent.append(
                await message.reply_html(part, reply_markup=markup, do_quote=None if i == 0 else False)
            )
        thread = (continued[-1] if continued else None) or Thread()
        threads.remember(asker, [m.message_id for m in sent], time.time(), thread.continued(answer))

    await work_on(update, services, raw, "empty_ask", ask, reply)


async def on_new(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/new``: the next question starts a conversation of its own."""
    services = services_of(context.bot_data)
    message = update.effective_message
    if message is None or not await admitted(update, services):
        return
    threads_of(context.chat_data).start_afresh(
        update.effective_user.id if update.effective_user else message.chat_id
    )
    await message.reply_html(say("new_thread", user_language(update)))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    question = addressed_text(message, context.bot)
    if question is not None:
        await answer_question(update, context, question)


async def on_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None:
        await answer_question(update, context, command_argument(message.text))


async def on_search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    raw = command_argument(update.effective_message.text if update.effective_message else "")

    def search(query: Query) -> SearchPages:
        passages = services.archive.search(query, SEARCH_RESULTS)
        return render_search(query.text, passages, note=services.archive.shortened(query), request=query)

    async def reply(message: Message, pages: SearchPages) -> None:
        await message.reply_html(pages.pages[0], reply_markup=page_keyboard(pages, 0))

    await work_on(update, services, raw, "empty_search", search, reply)


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    message = update.effective_message
    if message is None or not await admitted(update, services) or not await within_rate(update, services):
        return
    stats = await asyncio.to_thread(services.archive.stats)
    await message.reply_html(render_stats(stats))


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    message = update.effective_message
    if message is None or not await admitted(update, services) or not await within_rate(update, services):
        return
    try:
        overview = await asyncio.to_thread(services.archive.overview)
    except NewsbotError as exc:
        log.warning("no archive overview for /help: %s", exc)
        overview = None
    user = update.effective_user
    admin = services.access.is_admin(user.id if user else None)
    await message.reply_html(render_help(overview, context.bot.username, admin=admin))
