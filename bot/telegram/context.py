"""What every handler and job of the bot is given: PTB's ``CallbackContext`` with the bot's state typed.

    async def on_ask(update: Update, context: BotContext) -> None:
        context.services.archive      # the bot's state (:class:`~bot.telegram.services.Services`)
        context.threads               # the chat's conversations (:mod:`bot.telegram.threads`)

The Application is built with :data:`CONTEXT_TYPES` (PTB's ``ContextTypes``), so PTB makes one of these
for each update, job and error.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.telegram.services import Services, services_of
from bot.telegram.threads import ChatThreads, threads_of


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    @property
    def services(self) -> Services:
        """The bot's state, built with the Application."""
        return services_of(self.bot_data)

    @property
    def threads(self) -> ChatThreads:
        """The chat's conversations (a throwaway set for an update without a chat)."""
        return threads_of(self.chat_data)


CONTEXT_TYPES = ContextTypes(context=BotContext)
