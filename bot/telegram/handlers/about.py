"""``/help`` (``/start``): what the bot does and what the archive holds; ``/stats``: the archive's
figures. Both in the user's language (their Telegram client's, :func:`bot.present.phrases.language`)."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update

from bot.present.help import render_help
from bot.present.html import render_stats
from bot.present.phrases import language
from bot.telegram.context import BotContext
from bot.telegram.guards import for_members
from bot.telegram.messages import user_language
from retrieval.errors import NewsbotError

log = logging.getLogger("newsbot.bot")


@for_members()
async def on_stats(update: Update, context: BotContext, message: Message) -> None:
    stats = await asyncio.to_thread(context.services.archive.stats)
    await message.reply_html(render_stats(stats, language(user_language(update))))


@for_members()
async def on_help(update: Update, context: BotContext, message: Message) -> None:
    services = context.services
    try:
        overview = await asyncio.to_thread(services.archive.overview)
    except NewsbotError as exc:
        log.warning("no archive overview for /help: %s", exc)
        overview = None
    user = update.effective_user
    admin = services.access.is_admin(user.id if user else None)
    lang = language(user_language(update))
    await message.reply_html(render_help(overview, context.bot.username, admin=admin, lang=lang))
