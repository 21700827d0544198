"""Reading and editing Telegram messages: what a command was given, whether a text is meant for the
bot, the sender's language, and a status message edited in place.

    command_argument("/ask@newsbot_bot кто?")     -> "кто?"   (argument_of(update): its message's)
    addressed_text(message, bot)                   -> the question, or None when not meant for the bot
    board = MessageBoard(status)                   # await board.edit(html); await board.send(html)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import BadRequest


def user_language(update: Update) -> str | None:
    """The sender's client language (``language_code``), which what the bot says follows."""
    return update.effective_user.language_code if update.effective_user else None


def command_argument(text: str | None) -> str:
    """What follows ``/command`` (or ``/command@bot``), newlines and quotes kept."""
    parts = (text or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def argument_of(update: Update) -> str:
    """What follows the command in the update's message ("" without a message)."""
    message = update.effective_message
    return command_argument(message.text if message else "")


def addressed_text(message: Message, bot: Bot) -> str | None:
    """The question in ``message`` if it is meant for the bot, without the @mention; else None.

    In a private chat every text is; in a group only one that mentions the bot or replies to it.
    """
    text = message.text or ""
    mentions = [
        e
        for e in message.entities
        if (e.type == MessageEntity.MENTION and message.parse_entity(e).lower() == f"@{bot.username}".lower())
        or (e.type == MessageEntity.TEXT_MENTION and e.user is not None and e.user.id == bot.id)
    ]
    for entity in sorted(mentions, key=lambda e: -e.offset):
        text = text.replace(message.parse_entity(entity), " ", 1)
    if message.chat.type == ChatType.PRIVATE:
        return text
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
    return text if mentions or to_bot else None


@contextlib.contextmanager
def unless_unchanged() -> Iterator[None]:
    """Ignore Telegram's refusal to edit a message into what it already is (a button pressed twice)."""
    try:
        yield
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


@dataclass(slots=True)
class MessageBoard:
    """A status message of background work (an ingestion, a feed poll), edited in place; what does not
    fit follows it (implements :class:`bot.telegram.jobs.ingestion.StatusBoard`)."""

    message: Message

    async def edit(self, html: str) -> None:
        with unless_unchanged():
            await self.message.edit_text(html)

    async def send(self, html: str) -> None:
        await self.message.reply_html(html, do_quote=False)
