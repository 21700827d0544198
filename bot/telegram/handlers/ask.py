"""Questions: a private text, a mention or a reply in a group, ``/ask``; and ``/new``.

An answer is sent in as many messages as it takes, the buttons (📄 quotes, 👍 / 👎) under the last one.
A question that replies to an answer, or follows one soon in a private chat, continues its conversation
(:mod:`bot.telegram.threads`); ``/new`` starts afresh.
"""

from __future__ import annotations

import time

from telegram import Message, Update
from telegram.constants import ChatType

from bot.present.html import render_answer
from bot.present.phrases import say
from bot.query_syntax import Query
from bot.telegram.asking import asker_of, work_on
from bot.telegram.context import BotContext
from bot.telegram.guards import for_members
from bot.telegram.keyboards import ShownAnswer, answer_keyboard
from bot.telegram.messages import addressed_text, command_argument, user_language
from retrieval.answer.thread import Thread
from retrieval.records import Answer


async def answer_question(update: Update, context: BotContext, raw: str) -> None:
    """Answer ``raw``, as a follow-up when it continues a thread (:mod:`bot.telegram.threads`)."""
    services = context.services
    message = update.effective_message
    if message is None:
        return
    threads = context.threads
    asker = asker_of(update, message)
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    window = services.settings.followup_minutes if message.chat.type == ChatType.PRIVATE else None
    continued: list[Thread | None] = []

    def ask(query: Query) -> Answer:  # in the asker's turn: the previous answer is remembered by now
        thread = threads.continued(
            asker, replied.message_id if replied and to_bot else None, time.time(), window
        )
        continued.append(thread)
        return services.archive.ask(query, thread)

    async def reply(message: Message, answer: Answer) -> None:
        keyboard = answer_keyboard(ShownAnswer.of(answer))
        parts = render_answer(answer)  # as many messages as it takes; the buttons under the last one
        sent = []
        for i, part in enumerate(parts):
            markup = keyboard if i == len(parts) - 1 else None
            sent.append(
                await message.reply_html(part, reply_markup=markup, do_quote=None if i == 0 else False)
            )
        thread = (continued[-1] if continued else None) or Thread()
        threads.remember(asker, [m.message_id for m in sent], time.time(), thread.continued(answer))

    await work_on(update, services, raw, "empty_ask", ask, reply)


@for_members(counts=False)
async def on_new(update: Update, context: BotContext, message: Message) -> None:
    """``/new``: the next question starts a conversation of its own."""
    context.threads.start_afresh(asker_of(update, message))
    await message.reply_html(say("new_thread", user_language(update)))


async def on_text(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    question = addressed_text(message, context.bot)
    if question is not None:
        await answer_question(update, context, question)


async def on_ask(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is not None:
        await answer_question(update, context, command_argument(message.text))
