"""Administrators: ``/reingest [prune]`` re-reads the archive folder, ``/cancel`` stops the ingestion.

Anyone else is refused politely, and not at every attempt (:mod:`bot.telegram.guards`); every admin
action, and every refused attempt, is logged with the user id. The ingestion itself runs in the
background (:mod:`bot.telegram.jobs.ingestion`), one at a time; its status message is edited in place.
"""

from __future__ import annotations

from pathlib import Path

from telegram import Message, Update

from bot.present.html import render_progress
from bot.present.markup import escape
from bot.present.phrases import say
from bot.telegram.context import BotContext
from bot.telegram.guards import for_admins
from bot.telegram.jobs.ingestion import IngestRun, describe_running
from bot.telegram.messages import MessageBoard, argument_of, user_language
from bot.telegram.services import Services


async def refuse_if_busy(message: Message, services: Services, update: Update) -> bool:
    """Say what is running when an ingestion is (True); False when the slot is free."""
    running = services.jobs.running
    if running is None:
        return False
    await message.reply_html(say("busy", user_language(update), what=escape(describe_running(running))))
    return True


def _prune(update: Update) -> bool:
    return argument_of(update).strip().lower() == "prune"


@for_admins("/reingest", action=lambda update: "/reingest prune" if _prune(update) else "/reingest")
async def on_reingest(update: Update, context: BotContext, message: Message) -> None:
    services = context.services
    prune = _prune(update)
    if await refuse_if_busy(message, services, update):
        return
    archive_dir = services.settings.archive_dir
    if archive_dir is None:
        await message.reply_html(say("no_archive_dir", user_language(update)))
        return
    label = f"Re-ingesting {archive_dir}" + (" (prune)" if prune else "")
    status = await message.reply_html(render_progress(label, None))
    run = IngestRun(label, message.from_user.id if message.from_user else 0, (Path(archive_dir),), prune)
    services.jobs.start(run, MessageBoard(status))


@for_admins("/cancel")
async def on_cancel(update: Update, context: BotContext, message: Message) -> None:
    run = context.services.jobs.cancel()
    await message.reply_html(say("cancelling" if run else "nothing_to_cancel", user_language(update)))
