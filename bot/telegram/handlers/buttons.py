"""Button presses: the quoted passages of an answer, 👍 / 👎, search pages, a search's every copy and
its results as a CSV document (📎).

Each handler gets its button's record (:mod:`bot.telegram.keyboards`) from PTB's callback data cache.
Every press is answered (``answerCallbackQuery``), or the client keeps spinning: a button the cache no
longer knows (``InvalidCallbackData``: older than the cache, or sent by a version before it) or whose
data is not one of ours gets a short "too old" note; someone outside the allow-list is told once, and
afterwards the press is answered silently (:mod:`bot.telegram.guards`).

A press that replaces its keyboard (a vote ticks it, a page turn brings « / » for the new page) drops
the old keyboard's data from the cache: its buttons are gone from the message.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TypeVar

from telegram import CallbackQuery, Message, Update

from bot.present.cut import trim
from bot.present.html import render_sources
from bot.present.markup import escape
from bot.present.phrases import say
from bot.present.shown import words
from bot.telegram.context import BotContext
from bot.telegram.guards import admit
from bot.telegram.handlers.search import search_csv, search_pages
from bot.telegram.keyboards import (
    AllCopies,
    ExportCsv,
    Page,
    ShowQuotes,
    Vote,
    answer_keyboard,
    drop_keyboard,
    page_keyboard,
)
from bot.telegram.messages import unless_unchanged, user_language

log = logging.getLogger("newsbot.bot")
CSV_FILENAME = "search.csv"
"""The name of the document 📎 sends."""
CAPTION_QUERY_CHARS = 200
"""The most of the query the document's caption repeats."""
D = TypeVar("D")


async def pressed(update: Update, context: BotContext) -> CallbackQuery | None:
    """The pressed button's query if its user may use the bot (else answered with a refusal)."""
    query = update.callback_query
    if query is None or not await admit(update, context.services, counts=False):
        return None
    return query


def _data(query: CallbackQuery, kind: type[D]) -> D:
    data: object = query.data
    assert isinstance(data, kind), f"routed by pattern={kind.__name__}"
    return data


async def on_expired(update: Update, context: BotContext) -> None:
    """A press the cache cannot resolve, or whose data is not in a shape we send."""
    query = await pressed(update, context)
    if query is None:
        return
    log.info("expired or unknown button from user %s", query.from_user.id)
    await query.answer(say("expired", user_language(update)), show_alert=True)


async def on_quotes(update: Update, context: BotContext) -> None:
    query = await pressed(update, context)
    if query is None:
        return
    answer = _data(query, ShowQuotes).answer.answer
    if not isinstance(query.message, Message):  # too old for Telegram to show it to the bot
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    await query.answer()
    for part in render_sources(answer):
        await query.message.reply_html(part)


async def on_vote(update: Update, context: BotContext) -> None:
    services = context.services
    query = await pressed(update, context)
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
        drop_keyboard(query, context)


async def on_page(update: Update, context: BotContext) -> None:
    query = await pressed(update, context)
    if query is None:
        return
    page = _data(query, Page)
    await query.answer()
    with unless_unchanged():  # unchanged: the old keyboard stays, and so does its data
        await query.edit_message_text(
            page.search.pages[page.number], reply_markup=page_keyboard(page.search, page.number)
        )
        drop_keyboard(query, context)


async def on_all_copies(update: Update, context: BotContext) -> None:
    """📚: the search run again with every copy of each story, as a new message (the grouped one stays)."""
    services = context.services
    query = await pressed(update, context)
    if query is None:
        return
    search = _data(query, AllCopies).search
    if search.request is None or not isinstance(query.message, Message):
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    await query.answer()
    async with services.answering:
        pages = await asyncio.to_thread(search_pages, services, search.request, all_copies=True)
    await query.message.reply_html(pages.pages[0], reply_markup=page_keyboard(pages, 0))


async def on_export(update: Update, context: BotContext) -> None:
    """📎: the search run again up to the export limit, its results sent as a CSV document."""
    services = context.services
    query = await pressed(update, context)
    if query is None:
        return
    request = _data(query, ExportCsv).query
    if not isinstance(query.message, Message):
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    await query.answer()
    async with services.answering:
        document, rows = await asyncio.to_thread(search_csv, services, request)
    said = words(request.text)["csv_rows"].format(n=rows)
    caption = f"🔎 <b>{escape(trim(request.text, CAPTION_QUERY_CHARS))}</b>: {said}"  # HTML: the default
    await query.message.reply_document(document, filename=CSV_FILENAME, caption=caption)
