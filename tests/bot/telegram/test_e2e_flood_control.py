"""Telegram's flood control: a burst of 429s (``retry_after``) is waited out and the calls retried, so every
answer arrives, once, and nothing is reported as an error."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.telegram.app import FLOOD_RETRIES
from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator

QUESTION = "какая ставка ЦБ?"
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."


async def test_a_burst_of_429s_is_waited_out_and_every_answer_arrives_once(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    users = [emu.user(201 + i, f"User{i}", f"user{i}") for i in range(4)]
    chats = [emu.private_chat(user) for user in users]
    refused = FLOOD_RETRIES  # each call may meet all of them and still get through
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.flood(refused, retry_after=1)
        for chat, user in zip(chats, users, strict=True):
            emu.send_text(chat, user, QUESTION)
        for chat in chats:
            await emu.wait_for_messages_async(chat, 1, timeout=60)
    # the bot has stopped: every handler has finished, so a second copy would be here by now
    sends = [r for r in emu.requests if r.method == "sendMessage"]
    assert [r.description for r in sends if r.error_code is not None] == [
        "Too Many Requests: retry after 1"
    ] * refused
    assert len([r for r in sends if r.error_code is None]) == len(chats)
    for chat in chats:
        [answer] = emu.messages(chat)
        assert "16,5%" in answer.text and "[1]" in answer.text
        assert answer.text != APOLOGY
    assert caplog.text.count("Rate limit hit. Retrying after") == refused  # PTB's AIORateLimiter waited
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert emu.server_errors == []


@pytest.mark.parametrize("refused", [4, FLOOD_RETRIES])
async def test_one_message_refused_many_times_in_a_row_still_arrives_once(
    refused: int,
    emu: BotApiEmulator,
    sample_data_dir: Path,
    e5: E5Embeddings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Four 429s in a row lost the answer when three retries were all (#28, fault 7)."""
    caplog.set_level(logging.INFO)
    alice = emu.user(301, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.flood(refused, retry_after=1)
        emu.send_text(chat, alice, QUESTION)
        await emu.wait_for_messages_async(chat, 1, timeout=90)
    sends = [r for r in emu.requests if r.method == "sendMessage"]
    assert [r.error_code for r in sends] == [429] * refused + [None]  # one message, refused, then sent
    [answer] = emu.messages(chat)
    assert "16,5%" in answer.text and answer.text != APOLOGY
    assert caplog.text.count("Rate limit hit. Retrying after") == refused
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
