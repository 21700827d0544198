"""Documents administrators send for ingestion: checked before they are downloaded, kept privately under
``<data dir>/uploads`` (:mod:`bot.telegram.upload_files`), unzipped safely, then ingested in the
background like ``/reingest``.

An upload's status message always ends: with the ingestion's report, or with what was wrong (a zip's
damaged member named); a failed upload's folder is removed at once, a finished one after
``NEWSBOT_UPLOADS_KEEP_DAYS`` (0: as soon as it is ingested). Documents in groups are conversation, not
uploads: they are left alone.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from telegram import Document, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.present.markup import escape
from bot.present.phrases import say
from bot.telegram.context import BotContext
from bot.telegram.guards import admit
from bot.telegram.handlers.admin import refuse_if_busy
from bot.telegram.jobs.ingestion import IngestRun
from bot.telegram.messages import MessageBoard, user_language
from bot.telegram.upload_files import (
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


async def on_document(update: Update, context: BotContext) -> None:
    services = context.services
    message = update.effective_message
    if message is None or message.document is None or message.chat.type != ChatType.PRIVATE:
        return  # documents in groups are conversation, not uploads
    document = message.document
    action = f"upload {document.file_name!r} ({document.file_size} bytes)"
    if not await admit(update, services, admin=("upload", action)):
        return
    if await refuse_if_busy(message, services, update):
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
