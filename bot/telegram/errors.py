"""The one error handler: a short apology for the user, the details for the log and the admin chat.

Errors of the archive (Chroma down, the model, an LLM endpoint) are expected to pass: the user is told
to try again, the log gets one line, and the bot answers as soon as the part is back. A full disk does not
pass by itself: ``NEWSBOT_ADMIN_CHAT_ID`` gets the line that says where, once per ``DISK_FULL_QUIET``
(the log has each). Anything else is a bug: the log gets the traceback, and so does the admin chat if set
(the token redacted).
"""

from __future__ import annotations

import contextlib
import html
import logging
import traceback

from telegram import Update
from telegram.error import NetworkError, TelegramError

from bot.logsafe import redact
from bot.present.phrases import say
from bot.present.split import split_html
from bot.telegram.context import BotContext
from retrieval.errors import NewsbotError, StoreFull, StoreUnavailable

log = logging.getLogger("newsbot.bot")
ADMIN_REPORT_CHARS = 3500
DISK_FULL_QUIET = 3600.0
"""Seconds after telling the admin chat of a full disk during which it is not told again."""


def describe(update: object) -> str:
    """Who did what, for the log: ids and the kind of update, never message contents."""
    if not isinstance(update, Update):
        return "no update"
    user, chat = update.effective_user, update.effective_chat
    kind = "callback" if update.callback_query else "message" if update.effective_message else "update"
    return (
        f"{kind} {update.update_id} from user {user.id if user else '?'} in chat {chat.id if chat else '?'}"
    )


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    where = describe(update)
    if isinstance(error, NewsbotError):
        log.warning("%s: %s: %s", where, type(error).__name__, error)
    elif isinstance(error, NetworkError) and not isinstance(update, Update):
        log.warning("Telegram unreachable: %s", error)  # polling retries by itself
        return
    else:
        log.error("%s failed", where, exc_info=error)
    if isinstance(update, Update):
        await _apologise(update, store_down=isinstance(error, StoreUnavailable))
    if isinstance(error, StoreFull):
        if context.services.told.due("disk full", DISK_FULL_QUIET):
            await _send_to_admins(
                context, f"⚠️ <b>{html.escape(where)}</b>\n{html.escape(redact(str(error)))}"
            )
    elif not isinstance(error, NewsbotError):
        await _report_to_admins(context, where, error)


async def _apologise(update: Update, *, store_down: bool) -> None:
    user = update.effective_user
    text = say("store_down" if store_down else "sorry", user.language_code if user else None)
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer(html.unescape(text), show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_html(text)


async def _report_to_admins(context: BotContext, where: str, error: BaseException | None) -> None:
    if error is None:
        return
    trace = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    trace = redact(trace)[-ADMIN_REPORT_CHARS:]
    await _send_to_admins(context, f"⚠️ <b>{html.escape(where)}</b>\n<pre>{html.escape(trace)}</pre>")


async def _send_to_admins(context: BotContext, text: str) -> None:
    chat_id = context.services.settings.admin_chat_id
    if chat_id is None:
        return
    try:
        for part in split_html(text):
            await context.bot.send_message(chat_id, part)
    except TelegramError:
        log.warning("could not report the error to the admin chat %s", chat_id, exc_info=True)
