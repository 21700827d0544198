"""📰 under an answer or a search page: the pickup of a story (who ran it first and when, who followed
and how much later, every copy with its link, the outlets active around it that never ran it), sent as
a new message; the message with the button stays as it was."""

from __future__ import annotations

import asyncio

from telegram import Message, Update

from bot.present.phrases import say
from bot.present.pickup import pickup_html
from bot.telegram.context import BotContext
from bot.telegram.handlers.buttons import pressed
from bot.telegram.keyboards import ShowPickup
from bot.telegram.messages import user_language


async def on_pickup(update: Update, context: BotContext) -> None:
    services = context.services
    query = await pressed(update, context)
    if query is None:
        return
    data: object = query.data
    assert isinstance(data, ShowPickup), "routed by pattern=ShowPickup"
    if not isinstance(query.message, Message):  # too old for Telegram to show it to the bot
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    async with services.answering:
        pickup = await asyncio.to_thread(services.archive.pickup, data.article_id)
    if pickup is None:  # the article left the archive since the button was sent
        await query.answer(say("expired", user_language(update)), show_alert=True)
        return
    await query.answer()
    for part in pickup_html(pickup, data.language):
        await query.message.reply_html(part)
