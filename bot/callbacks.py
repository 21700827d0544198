"""Button presses: the quoted passages of an answer, 👍 / 👎, search pages and a search's every copy.

Each handler gets its button's record (:mod:`bot.keyboards`) from PTB's callback data cache. Every
press is answered (``answerCallbackQuery``), or the client keeps spinning: a button the cache no
longer knows (``InvalidCallbackData``: older than the cache, or sent by a version before it) or whose
data is not one of ours gets a short "too old" note; someone outside the allow-list is told once, and
afterwards the press is answered silently.

A press that replaces its keyboard (a vote ticks it, a page turn brings « / » for the new page) drops
the old keyboard's data from the cache: its buttons are gone from the message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.ext import ContextTypes

from bot.handlers import SEARCH_RESULTS, user_language
from bot.keyboards import (
    AllCopies,
    Page,
    ShowQuotes,
    Vote,
    answer_keyboard,
    page_keyboard,
    unless_unchanged,
)
from bot.phrases import say
from bot.render import render_search, render_sources
from bot.services import Services, services_of

log = logging.getLogger("newsbot.bot")
D = TypeVar("D")


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


def _data(query: CallbackQuery, kind: type[D]) -> D:
    data: object = query.data
    assert isinstance(data, kind), f"routed by pattern={kind.__name__}"
    return data


def _drop_old_keyboard(query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE) -> None:
    with contextlib.suppress(KeyError):  # already dropped by a press of its other button
        context.drop_callback_data(query)


async def on_expired(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press the cache cannot resolve, or whose data is not in a shape we send."""
    query = await _query(update, services_of(context.bot_data))
    if query is None:
        return
    log.info("expired or unknown button from user %s", query.from_user.id)
    await query.answer(say("expired", user_language(update)), show_alert=True)


async def on_quotes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = await _query(update, services_of(context.bot_data))
    if query is None:
        return
    answer = _data(query, ShowQuotes).answer.answer
    if not isinstance(query.message, Message):  # too old for Telegram to show it to the bot
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    await query.answer()
    for part in render_sources(answer):
        await query.message.reply_html(part)


async def on_vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    query = await _query(update, services)
    if query is None:
        return
    vote = _data(query, Vote)
    shown, chat = vote.answer, update.effective_chat
    if chat is None:
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    await asyncio.to_thread(
        services.feedback.record,
        answer_key=shown.id,
        user_id=query.from_user.id,
        chat_id=chat.id,
        vote=1 if vote.up else -1,
        question=shown.answer.question,
        answer=shown.answer.text,
        article_ids=[c.article_id for c in shown.answer.citations],
    )
    log.info("feedback up=%s from user %s on answer %s", vote.up, query.from_user.id, shown.id)
    await query.answer(say("thanks_up" if vote.up else "thanks_down", user_language(update)))
    with unless_unchanged():  # unchanged: the old keyboard stays, and so does its data
        await query.edit_message_reply_markup(answer_keyboard(shown, vote.up))
        _drop_old_keyboard(query, context)


async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = await _query(update, services_of(context.bot_data))
    if query is None:
        return
    page = _data(query, Page)
    await query.answer()
    with unless_unchanged():  # unchanged: the old keyboard stays, and so does its data
        await query.edit_message_text(
            page.search.pages[page.number], reply_markup=page_keyboard(page.search, page.number)
        )
        _drop_old_keyboard(query, context)


async def on_all_copies(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """📚: the search run again with every copy of each story, as a new message (the grouped one stays)."""
    services = services_of(context.bot_data)
    query = await _query(update, services)
    if query is None:
        return
    search = _data(query, AllCopies).search
    if search.request is None or not isinstance(query.message, Message):
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    await query.answer()
    request = search.request
    async with services.answering:
        passages = await asyncio.to_thread(services.archive.search, request, SEARCH_RESULTS, all_copies=True)
    pages = render_search(request.text, passages, note=services.archive.shortened(request))
    await query.message.reply_html(pages.pages[0], reply_markup=page_keyboard(pages, 0))
