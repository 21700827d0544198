"""Floods and hogs: a burst of messages gets each refusal once, one user's questions take turns instead of
holding the answering slots, and every button press is answered, whatever its data."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.archive import AnswererFactory, default_answerer
from retrieval.answer.answerer import Answerer
from retrieval.embeddings import E5Embeddings, NewsEmbeddings
from retrieval.records import Answer
from retrieval.search.searcher import SearchResult
from retrieval.settings import Settings
from tests.bot.conftest import bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator

QUESTION = "какая ставка ЦБ?"
HELD = "подробно"
TOO_FAST = "You are asking faster than I can read 🙂 Please wait "
NOT_ALLOWED = "Sorry, this bot answers only its members. Ask its owner to add your id: {}."
ADMINS_ONLY = "Sorry, only the archive's administrators can do that."
EXPIRED = "This answer is too old for its buttons; please ask again."


class Held:
    """An LLM endpoint that takes as long as the test wants over questions with ``HELD`` in them."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def compose(self, question: str, result: SearchResult, fallback: Answer) -> Answer:
        if HELD in question:
            self.release.wait(timeout=120)
        return fallback

    def answerer(self) -> AnswererFactory:
        def make(settings: Settings, embeddings: NewsEmbeddings) -> Answerer:
            return replace(default_answerer(settings, embeddings), llm=self)

        return make


@contextlib.asynccontextmanager
async def bot_with_held_llm(settings: Settings, e5: E5Embeddings) -> AsyncIterator[Held]:
    """The bot, its LLM holding ``HELD`` questions until the test releases them (or is over)."""
    held = Held()
    async with running_bot(settings, e5, held.answerer()):
        try:
            yield held
        finally:
            held.release.set()  # before the bot stops, which waits for the questions being answered


async def settled(emu: BotApiEmulator) -> None:
    """Every update taken by the bot, and a moment for replies that should not come."""
    await emu.wait_for_async(lambda: emu.pending_updates == 0, timeout=30)
    await asyncio.sleep(0.5)


async def test_a_flood_of_questions_is_told_once_it_is_too_fast(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with bot_with_held_llm(bot_settings(emu, sample_data_dir, rate_limit_per_minute=10), e5) as held:
        for _ in range(200):
            emu.send_text(chat, alice, f"{HELD}: {QUESTION}")
        await emu.wait_for_messages_async(chat, 1, timeout=60)
        await settled(emu)
        [too_fast] = emu.messages(chat)  # while the first question is being answered
        held.release.set()
        await emu.wait_for_messages_async(chat, 11, timeout=120)
        await settled(emu)
    assert too_fast.text.startswith(TOO_FAST) and too_fast.text.endswith(" s and ask again.")
    texts = [m.text for m in emu.messages(chat)]
    assert len(texts) == 11  # 200 messages: the 10 the limit lets through, answered, and one notice
    assert all("16,5%" in t and "[1]" in t for t in texts[1:])


async def test_one_user_cannot_hold_the_answers_of_others(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    hog, other = emu.user(301, "Hog", "hog"), emu.user(302, "Olga", "olga")
    hog_chat, other_chat = emu.private_chat(hog), emu.private_chat(other)
    settings = bot_settings(emu, sample_data_dir, max_concurrent_answers=2)
    long_question = (f"{HELD}: {QUESTION} " + "расскажи всё про ключевую ставку " * 130)[:4096]
    async with bot_with_held_llm(settings, e5) as held:
        for _ in range(3):
            emu.send_text(hog_chat, hog, long_question)
        await emu.wait_for_async(lambda: any(a.chat_id == hog_chat.id for a in emu.chat_actions), timeout=30)
        emu.send_text(other_chat, other, QUESTION)
        [answer] = await emu.wait_for_messages_async(other_chat, 1, timeout=60)
        hog_waiting = not emu.messages(hog_chat)  # the hog's first question is still being answered
        held.release.set()
        await emu.wait_for_messages_async(hog_chat, 3, timeout=120)
        await settled(emu)
    assert hog_waiting
    assert "16,5%" in answer.text
    hog_texts = [m.text for m in emu.messages(hog_chat)]
    assert len(hog_texts) == 3 and all("16,5%" in t for t in hog_texts)  # each answered, one after another


async def test_admin_commands_from_others_are_refused_once(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    stranger, member = emu.user(666, "Eve", "eve"), emu.user(201, "Mia", "mia")
    stranger_chat, member_chat = emu.private_chat(stranger), emu.private_chat(member)
    caplog.set_level(logging.INFO, logger="newsbot")
    async with running_bot(bot_settings(emu, tmp_path / "data", allowed_ids=[201]), e5):
        for _ in range(10):
            emu.send_text(stranger_chat, stranger, "/reingest")
            emu.send_text(stranger_chat, stranger, "/cancel")
        emu.send_document(stranger_chat, stranger, "news.txt", "Заголовок\n\nТекст новости.".encode())
        for _ in range(5):
            emu.send_text(member_chat, member, "/reingest prune")
            emu.send_text(member_chat, member, "/cancel")
        await emu.wait_for_messages_async(stranger_chat, 1, timeout=30)
        await emu.wait_for_messages_async(member_chat, 2, timeout=30)
        await settled(emu)
    assert [m.text for m in emu.messages(stranger_chat)] == [NOT_ALLOWED.format(666)]  # 21 tries, told once
    assert [m.text for m in emu.messages(member_chat)] == [ADMINS_ONLY] * 2  # once per command
    assert caplog.text.count("refused /reingest from user 666 (not an admin)") == 10  # each one logged
    assert caplog.text.count("refused /reingest prune from user 201 (not an admin)") == 5
    assert not emu.downloads


async def test_every_button_press_is_answered(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    alice, stan = emu.user(101, "Alice", "alice"), emu.user(202, "Stan", "stan")
    chat, stan_chat = emu.private_chat(alice), emu.private_chat(stan)
    malformed = ["answer:v1:42", "p:abc:x", "s:", "f:abc:maybe", "x" * 64]  # an older bot's, or forged
    expired = ["s:gone0000", "f:gone0000:u", "p:gone0000:3"]  # well-formed, but nothing remembers them
    data = malformed + expired
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(str(i), callback_data=d)] for i, d in enumerate(data)]
    )
    settings = bot_settings(emu, sample_data_dir, allowed_ids=[101])
    async with running_bot(settings, e5), Bot(emu.token, base_url=emu.base_url) as older:  # data as sent
        old = await older.send_message(chat.id, "an answer from an older version", reply_markup=keyboard)
        stan_old = await older.send_message(stan_chat.id, "left from before", reply_markup=keyboard)
        pressed = [emu.press_button(chat, alice, old.message_id, d) for d in data]
        stan_pressed = [emu.press_button(stan_chat, stan, stan_old.message_id, d) for d in data[:3]]
        wanted = set(pressed + stan_pressed)
        await emu.wait_for_async(lambda: wanted <= {a.callback_query_id for a in emu.callback_answers}, 30)
        await settled(emu)
    answers = {a.callback_query_id: a for a in emu.callback_answers}
    assert [(answers[q].text, answers[q].show_alert) for q in pressed] == [(EXPIRED, True)] * len(data)
    stan_answers = sorted(
        ((answers[q].text or "", answers[q].show_alert) for q in stan_pressed), reverse=True
    )
    assert stan_answers == [(NOT_ALLOWED.format(202), True), ("", False), ("", False)]  # told once, then not
    assert len(emu.messages(chat)) == len(emu.messages(stan_chat)) == 1  # nothing sent but the notes
