"""Button presses: the quoted passages of an answer, 👍 / 👎, and search pages.

Every press is answered (``answerCallbackQuery``), or the client keeps spinning: a button whose data is
not one of ours (an older bot's, a forged one) or whose answer is forgotten gets a short "too old"
note; someone outside the allow-list is told once, and afterwards the press is answered silently.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import CallbackQuery, Message, Update
from telegram.ext import ContextTypes

from bot.handlers import user_language
from bot.keyboards import UP, answer_keyboard, page_keyboard, parse_callback, unless_unchanged
from bot.phrases import say
from bot.render import render_sources
from bot.services import Services, services_of

log = logging.getLogger("newsbot.bot")


async def _query(update: Update, services: Services) -> CallbackQuery | None:
    """The pressed button's query if its user may use the bot (else answered with a refusal)."""
    query = update.callback_query
    if query is None:
        return None
    user_id, chat = query.from_user.id, update.effective_chat
    chat_id = chat.id if chat else None
    if services.access.is_allowed(user_id, chat_id):
        return query
    if services.access.first_refusal(user_id, chat_id):
        await query.answer(say("not_allowed", user_language(update), user_id=user_id), show_alert=True)
    else:
        await query.answer()
    return None


async def on_unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any press no other handler takes: data that is not ours, or not in a shape we send."""
    query = await _query(update, services_of(context.bot_data))
    if query is None:
        return
    log.info("unknown button data %r from user %s", (query.data or "")[:64], query.from_user.id)
    await query.answer(say("expired", user_language(update)), show_alert=True)


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    query = await _query(update, services)
    if query is None:
        return
    _, key = parse_callback(query.data)
    answer = services.state.answers.get(key)
    if answer is None or not isinstance(query.message, Message):
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    await query.answer()
    for part in render_sources(answer):
        await query.message.reply_html(part)


async def on_feedback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    query = await _query(update, services)
    if query is None:
        return
    _, key, vote = parse_callback(query.data)
    answer = services.state.answers.get(key)
    chat = update.effective_chat
    if answer is None or chat is None:
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    await asyncio.to_thread(
        services.feedback.record,
        answer_key=key,
        user_id=query.from_user.id,
        chat_id=chat.id,
        vote=1 if vote == UP else -1,
        question=answer.question,
        answer=answer.text,
        article_ids=[c.article_id for c in answer.citations],
    )
    log.info("feedback %s from user %s on answer %s", vote, query.from_user.id, key)
    await query.answer(say("thanks_up" if vote == UP else "thanks_down", user_language(update)))
    with unless_unchanged():  # the same vote again: the keyboard is already ticked
        await query.edit_message_reply_markup(answer_keyboard(key, answer, vote))


async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    query = await _query(update, services)
    if query is None:
        return
    _, key, number = parse_callback(query.data)
    search = services.state.searches.get(key)
    page = int(number)
    if search is None or not 0 <= page < len(search.pages):
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    await query.answer()
    with unless_unchanged():  # pressed twice: the page is already shown
        await query.edit_message_text(
            search.pages[page], reply_markup=page_keyboard(key, page, len(search.pages))
        )
