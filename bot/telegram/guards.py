"""Admission: whether the bot acts on an update, decided in one place for every handler.

    @for_members()                          # questions, /stats, /follow …: the handler gets the message
    async def on_stats(update: Update, context: BotContext, message: Message) -> None: ...

    @for_admins("/cancel")                  # administrators only
    async def on_cancel(update: Update, context: BotContext, message: Message) -> None: ...

    if not await admit(update, services, counts=False):      # within a handler: buttons, inline queries

In this order:

- **admins only** (``admin=(command, action)``: ``/reingest``, ``/cancel``, uploads, the feed commands):
  ``NEWSBOT_ADMIN_IDS`` pass, and each action is logged with the user id; anyone else is refused, logged,
  and (when on the allow-list) told "admins only" once a minute per command;
- **the allow-list** (``NEWSBOT_ALLOWED_IDS``, user or chat ids; empty means everyone, admins always
  pass): someone else is told once, then ignored. An inline query comes with no chat, so only users on
  the list pass;
- **the rate limit** (``NEWSBOT_RATE_LIMIT_PER_MINUTE``; what ``counts``: questions, searches,
  timelines, /stats, /help and the follow commands): a user over it is told once, then ignored until they
  may ask again.

A refusal is said the way the update can be answered: a message gets a reply, a button press an alert
(later presses are answered silently, so the client stops spinning), an inline query nothing (its
handler answers it with no results). Whatever the flood, each refusal is said once per window
(:mod:`bot.telegram.access`): a burst of messages gets a reply or two, never a burst of replies.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from telegram import Message, Update

from bot.present.phrases import say
from bot.telegram.messages import user_language

if TYPE_CHECKING:
    from bot.telegram.context import BotContext
    from bot.telegram.services import Services

log = logging.getLogger("newsbot.bot")
admin_log = logging.getLogger("newsbot.bot.admin")
OnMessage = Callable[[Update, "BotContext", Message], Awaitable[None]]
"""A handler given the message it acts on."""
Handler = Callable[[Update, "BotContext"], Coroutine[Any, Any, None]]
"""A handler as python-telegram-bot calls it."""


def for_members(*, counts: bool = True) -> Callable[[OnMessage], Handler]:
    """A handler of messages run only when :func:`admit` lets the update through: the allow-list and,
    when it ``counts``, the rate limit."""
    return _guard(counts=counts)


def for_admins(command: str, action: Callable[[Update], str] | None = None) -> Callable[[OnMessage], Handler]:
    """A handler of messages run for administrators only; the log names ``action(update)`` (by default
    ``command``) and ``command`` is what "admins only" is said once a minute for."""
    return _guard(admin=(command, action or (lambda update: command)))


def _guard(
    *, counts: bool = True, admin: tuple[str, Callable[[Update], str]] | None = None
) -> Callable[[OnMessage], Handler]:
    def guard(handler: OnMessage) -> Handler:
        @functools.wraps(handler)
        async def guarded(update: Update, context: BotContext) -> None:
            told = None if admin is None else (admin[0], admin[1](update))
            message = await admitted(update, context.services, counts=counts, admin=told)
            if message is not None:
                await handler(update, context, message)

        return guarded

    return guard


async def admit(
    update: Update, services: Services, *, counts: bool = True, admin: tuple[str, str] | None = None
) -> bool:
    """Whether to act on ``update``: ``admin`` (the command and the action, for the log) for administrators
    only, else the allow-list and, when it ``counts``, the rate limit. A refusal is told (see the module's
    docstring)."""
    if admin is not None:
        return await _admin(update, services, *admin)
    return await _allowed(update, services) and (not counts or await _within_rate(update, services))


async def admitted(
    update: Update, services: Services, *, counts: bool = True, admin: tuple[str, str] | None = None
) -> Message | None:
    """The update's message when :func:`admit` lets it through (None when it has none, or is refused)."""
    message = update.effective_message
    if message is None or not await admit(update, services, counts=counts, admin=admin):
        return None
    return message


async def _allowed(update: Update, services: Services) -> bool:
    """Allow-listed (or no allow-list); someone else gets one polite refusal, then silence."""
    user, chat = update.effective_user, update.effective_chat
    user_id, chat_id = (user.id if user else None), (chat.id if chat else None)
    if services.access.is_allowed(user_id, chat_id):
        return True
    if update.inline_query is not None:
        log.info("refused inline query from user %s: not on the allow-list", user_id)
        return False
    log.info("refused user %s in chat %s: not on the allow-list", user_id, chat_id)
    tell = services.access.first_refusal(user_id, chat_id)
    refusal = say("not_allowed", user_language(update), user_id=user_id)
    query, message = update.callback_query, update.effective_message
    if query is not None:
        await (query.answer(refusal, show_alert=True) if tell else query.answer())
    elif message is not None and tell:
        await message.reply_html(refusal)
    return False


async def _within_rate(update: Update, services: Services) -> bool:
    """Under the user's rate limit (and it counts); over it, told once until they may ask again."""
    user = update.effective_user
    limited = services.limiter.check(user.id) if user else None
    if limited is None:
        return True
    message = update.effective_message
    if limited.tell and message is not None:
        seconds = max(1, round(limited.wait))
        await message.reply_html(say("rate_limited", user_language(update), seconds=seconds))
    return False


async def _admin(update: Update, services: Services, command: str, action: str) -> bool:
    """Whether the sender is an admin; others are refused (and logged), told once a minute."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return False
    if services.access.is_admin(user.id):
        admin_log.info("admin %s: %s", user.id, action)
        return True
    admin_log.warning("refused %s from user %s (not an admin)", action, user.id)
    if await _allowed(update, services) and services.access.admin_only_due(user.id, command):
        await message.reply_html(say("admin_only", user_language(update)))
    return False
