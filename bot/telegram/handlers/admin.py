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
from bot.telegram.guards import admit
from bot.telegram.jobs.ingestion import IngestRun, describe_running
from bot.telegram.messages import MessageBoard, command_argument, user_language
from bot.telegram.services import Services


async def refuse_if_busy(message: Message, services: Services, update: Update) -> bool:
    """Say what is running when an ingestion is (True); False when the slot is free."""
    running = services.jobs.running
    if running is None:
        return False
    await message.reply_html(say("busy", user_language(update), what=escape(describe_running(running))))
    return True


async def on_reingest(update: Update, context: BotContext) -> None:
    services = context.services
    message = update.effective_message
    prune = command_argument(message.text if message else "").strip().lower() == "prune"
    action = "/reingest" + (" prune" if prune else "")
    if message is None or not await admit(update, services, admin=("/reingest", action)):
        return
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


async def on_cancel(update: Update, context: BotContext) -> None:
    services = context.services
    message = update.effective_message
    if message is None or not await admit(update, services, admin=("/cancel", "/cancel")):
        return
    run = services.jobs.cancel()
    await message.reply_html(say("cancelling" if run else "nothing_to_cancel", user_language(update)))
