"""Administrators: ``/reingest [prune]``, ``/cancel`` and documents sent for ingestion.

Anyone else is refused politely. Every admin action, and every refused attempt, is logged with the
user id. The ingestion itself runs in the background (:mod:`bot.ingest_job`); its status message is
edited in place.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.handlers import command_argument, user_language
from bot.ingest_job import IngestRun, describe_running
from bot.keyboards import unless_unchanged
from bot.phrases import say
from bot.render import escape, render_progress
from bot.services import Services, services_of
from bot.uploads import UploadError, check_document, download_path, new_upload_folder, unpack

log = logging.getLogger("newsbot.bot.admin")


@dataclass(slots=True)
class MessageBoard:
    """The status message of an ingestion (implements :class:`bot.ingest_job.StatusBoard`)."""

    message: Message

    async def edit(self, html: str) -> None:
        with unless_unchanged():
            await self.message.edit_text(html)

    async def send(self, html: str) -> None:
        await self.message.reply_html(html, do_quote=False)


async def _admin(update: Update, services: Services, action: str) -> Message | None:
    """The message to answer if its sender is an admin; others are refused (and logged)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    if services.access.is_admin(user.id):
        log.info("admin %s: %s", user.id, action)
        return message
    log.warning("refused %s from user %s (not an admin)", action, user.id)
    await message.reply_html(say("admin_only", user_language(update)))
    return None


async def _refuse_if_busy(message: Message, services: Services, update: Update) -> bool:
    running = services.jobs.running
    if running is None:
        return False
    await message.reply_html(say("busy", user_language(update), what=escape(describe_running(running))))
    return True


async def on_reingest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    argument = command_argument(update.effective_message.text if update.effective_message else "")
    prune = argument.strip().lower() == "prune"
    message = await _admin(update, services, "/reingest" + (" prune" if prune else ""))
    if message is None or await _refuse_if_busy(message, services, update):
        return
    archive_dir = services.settings.archive_dir
    if archive_dir is None:
        await message.reply_html(say("no_archive_dir", user_language(update)))
        return
    label = f"Re-ingesting {archive_dir}" + (" (prune)" if prune else "")
    status = await message.reply_html(render_progress(label, None))
    run = IngestRun(label, message.from_user.id if message.from_user else 0, (Path(archive_dir),), prune)
    services.jobs.start(run, MessageBoard(status))


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    message = await _admin(update, services, "/cancel")
    if message is None:
        return
    run = services.jobs.cancel()
    await message.reply_html(say("cancelling" if run else "nothing_to_cancel", user_language(update)))


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    message = update.effective_message
    if message is None or message.document is None or message.chat.type != ChatType.PRIVATE:
        return  # documents in groups are conversation, not uploads
    document = message.document
    message = await _admin(update, services, f"upload {document.file_name!r} ({document.file_size} bytes)")
    if message is None or await _refuse_if_busy(message, services, update):
        return
    language = user_language(update)
    try:
        check_document(document.file_name, document.file_size, services.max_upload_bytes)
    except UploadError as exc:
        await message.reply_html(escape(str(exc)))
        return
    name = document.file_name or "document"
    status = await message.reply_html(say("receiving", language, name=escape(name)))
    board = MessageBoard(status)
    folder = await asyncio.to_thread(new_upload_folder, services.uploads_dir)
    saved = download_path(folder, document.file_name)
    telegram_file = await document.get_file()
    await telegram_file.download_to_drive(saved)
    try:
        unpacked = await asyncio.to_thread(unpack, saved, services.max_upload_bytes)
    except UploadError as exc:
        await board.edit(f"❌ {escape(str(exc))}")
        return
    if services.jobs.running is not None:
        await board.edit(say("kept_busy", language, name=escape(name)))
        return
    user_id = message.from_user.id if message.from_user else 0
    run = IngestRun(f"Ingesting {name}", user_id, (unpacked.path,), extra_skipped=unpacked.skipped)
    services.jobs.start(run, board)
