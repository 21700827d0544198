"""The command menu the bot registers at start-up (``setMyCommands``): in English by default and in Russian
for Russian-speaking clients, the admin commands only in the admins' chats; a failure is not fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import ADMIN_ID, bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator

ADMIN_SCOPE = {"type": "chat", "chat_id": ADMIN_ID}
USER_MENU = [
    "ask", "search", "timeline", "who", "entities", "stats", "new", "follow", "following", "unfollow", "help"
]  # fmt: skip
ADMIN_MENU = ["feeds", "addfeed", "removefeed", "pollfeeds", "reingest", "cancel"]


def names(commands: list[dict[str, str]]) -> list[str]:
    return [c["command"] for c in commands]


async def test_the_menu_is_registered_in_english_and_russian(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        pass
    english, russian = emu.commands(), emu.commands(language_code="ru")
    assert names(english) == names(russian) == USER_MENU
    assert english[0] == {"command": "ask", "description": "a short answer with sources"}
    assert russian[0] == {"command": "ask", "description": "короткий ответ с источниками"}
    assert emu.commands(language_code="uk") == russian  # the bot answers them in Russian too
    for code in ("", "ru"):
        admin = emu.commands(ADMIN_SCOPE, language_code=code)
        assert names(admin) == [*USER_MENU, *ADMIN_MENU]
        assert admin[: len(USER_MENU)] == emu.commands(language_code=code)
    assert "reingest" not in names(emu.commands({"type": "chat", "chat_id": 101}))


async def test_a_menu_that_cannot_be_set_is_logged_and_the_bot_answers(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    emu.fail_next("setMyCommands", 400, "Bad Request: chat not found")  # the first menu: everyone's
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, alice, "/help")
        [help_text] = await emu.wait_for_messages_async(chat, 1, timeout=30)
    assert help_text.text.startswith("I answer")
    assert "could not set the command menu for all: Chat not found" in caplog.text
    assert emu.commands() == []  # that scope was given up, the admins' still set
    assert names(emu.commands(ADMIN_SCOPE, language_code="ru"))[-2:] == ["reingest", "cancel"]
