"""Administrators: ``/reingest [prune]``, ``/cancel`` and documents sent for ingestion.

Anyone else is refused politely, and not at every attempt: someone outside the allow-list is told once,
then ignored (as for questions); anyone else is told "admins only" once a minute per command. Every admin
action, and every refused attempt, is logged with the user id. The ingestion itself runs in the
background (:mod:`bot.ingest_job`); its status message is edited in place.

An upload's status message always ends: with the ingestion's report, or with what was wrong (a zip's
damaged member named); a failed upload's folder is removed at once, a finished one after
``NEWSBOT_UPLOADS_KEEP_DAYS`` (0: as soon as it is ingested).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from telegram import Document, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.handlers import admitted, command_argument, user_language
from bot.ingest_job import IngestRun, describe_running
from bot.keyboards import unless_unchanged
from bot.phrases import say
from bot.render import escape, render_progress
from bot.services import Services, services_of
from bot.uploads import (
    Unpacked,
    UploadError,
    check_document,
    discard,
    download_path,
    make_private,
    new_upload_folder,
    unpack,
)
from retrieval.records import IngestReport

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


async def _admin(update: Update, services: Services, command: str, action: str) -> Message | None:
    """The message to answer if its sender is an admin; others are refused (and logged), said once."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return None
    if services.access.is_admin(user.id):
        log.info("admin %s: %s", user.id, action)
        return message
    log.warning("refused %s from user %s (not an admin)", action, user.id)
    if await admitted(update, services) and services.access.admin_only_due(user.id, command):
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
    message = await _admin(update, services, "/reingest", "/reingest" + (" prune" if prune else ""))
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
    message = await _admin(update, services, "/cancel", "/cancel")
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
    action = f"upload {document.file_name!r} ({document.file_size} bytes)"
    message = await _admin(update, services, "upload", action)
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
    await asyncio.to_thread(services.prune_uploads)
    folder = await asyncio.to_thread(new_upload_folder, services.uploads_dir)
    try:
        unpacked = await _receive(document, folder, services.max_upload_bytes)
    except UploadError as exc:
        await asyncio.to_thread(discard, folder)
        await board.edit(f"❌ {escape(str(exc))}")
        return
    except TelegramError as exc:
        log.warning("could not download %r: %s", name, exc)
        await asyncio.to_thread(discard, folder)
        await board.edit(say("download_failed", language, name=escape(name), reason=escape(str(exc))))
        return
    except Exception:
        await asyncio.to_thread(discard, folder)
        await board.edit(say("upload_failed", language, name=escape(name)))
        raise  # a bug: logged and reported by the error handler
    if services.jobs.running is not None:
        await board.edit(say("kept_busy", language, name=escape(name)))
        return
    user_id = message.from_user.id if message.from_user else 0
    run = services.jobs.start(
        IngestRun(f"Ingesting {name}", user_id, (unpacked.path,), extra_skipped=unpacked.skipped), board
    )
    _remove_when_done(run, folder, keep=services.settings.uploads_keep_days > 0)


async def _receive(document: Document, folder: Path, max_bytes: int) -> Unpacked:
    """Download the document into its folder, privately, and unpack it."""
    saved = download_path(folder, document.file_name)
    telegram_file = await document.get_file()
    await telegram_file.download_to_drive(saved)
    await asyncio.to_thread(make_private, saved)
    return await asyncio.to_thread(unpack, saved, max_bytes)


def _remove_when_done(run: IngestRun, folder: Path, *, keep: bool) -> None:
    """Once the ingestion ends, remove the upload's folder if it failed or uploads are not kept."""

    def done(task: asyncio.Task[IngestReport | None]) -> None:
        failed = task.cancelled() or task.exception() is not None or task.result() is None
        if failed or not keep:
            log.info("removing upload %s (%s)", folder, "ingestion failed" if failed else "not kept")
            asyncio.get_running_loop().run_in_executor(None, discard, folder)

    if run.task is not None:
        run.task.add_done_callback(done)
