"""How a question-like command is worked on (a question, ``/search``, ``/timeline``): admitted, parsed,
in the asker's turn, off the event loop, then replied to.

    await work_on(update, services, raw, "empty_ask", work, reply)

Each handler parses, runs the blocking work in a thread (``asyncio.to_thread``), and renders. Failures
go to the one error handler (:mod:`bot.telegram.errors`), which apologises to the user. Before any work:
the allow-list and the rate limit (:mod:`bot.telegram.guards`); then the question waits for the asker's
previous ones (one at a time per user, in order), so one user never holds more than one answering slot
while others wait.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.present.markup import escape
from bot.present.phrases import say
from bot.query_syntax import FilterError, Query, parse_query
from bot.telegram.guards import admitted
from bot.telegram.messages import user_language
from bot.telegram.services import Services

T = TypeVar("T")
log = logging.getLogger("newsbot.bot")


def asker_of(update: Update, message: Message) -> int:
    """Whose turn a question takes: the sender's, or the chat's when there is no sender."""
    return update.effective_user.id if update.effective_user else message.chat_id


async def work_on(
    update: Update,
    services: Services,
    raw: str,
    usage: str | None,
    work: Callable[[Query], T],
    reply: Callable[[Message, T], Awaitable[None]],
) -> None:
    """Admit the asker, parse ``raw``, run ``work`` in a thread within the global answering limit, and
    ``reply`` with what it returns.

    The asker's questions are worked on and replied to one at a time, in the order sent (checked against
    the rate limit as they arrive). Nothing is done when not admitted or rate-limited; without a question
    the usage is shown (``usage`` None: the command needs none); a filter mistake is explained.
    """
    message = await admitted(update, services)
    if message is None:
        return
    query = parse_query(raw)
    if not query.text and usage is not None:
        await message.reply_html(say(usage, user_language(update)))
        return
    async with services.turns.turn(asker_of(update, message)):
        try:  # "typing…" while the answer is computed: a nicety, its failure is not the answer's
            await message.chat.send_action(ChatAction.TYPING)
        except TelegramError as exc:
            log.info("no typing action in chat %s: %s", message.chat_id, exc)
        try:
            async with services.answering:
                result = await asyncio.to_thread(work, query)
        except FilterError as exc:
            await message.reply_html(say("bad_filter", user_language(update), reason=escape(str(exc))))
            return
        await reply(message, result)
