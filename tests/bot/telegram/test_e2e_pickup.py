"""📰 under a search page and an answer: who ran a wire story first, who followed and how much later,
and which outlet active around it never ran it (:mod:`tests.support.wire`), through the Bot API
emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator, SentMessage
from tests.support import wire


@pytest.fixture(scope="module")
def wire_data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    return wire.ingest(tmp_path_factory.mktemp("bot-pickup"), e5)


def rows(message: SentMessage) -> list[list[str]]:
    return [[b["text"] for b in row] for row in (message.reply_markup or {}).get("inline_keyboard", [])]


def data_of(message: SentMessage, label: str) -> str:
    [data] = [str(b["callback_data"]) for b in message.buttons if b["text"] == label]
    return data


async def test_the_button_under_a_search_shows_who_ran_the_story_and_who_did_not(
    emu: BotApiEmulator, wire_data_dir: Path, e5: E5Embeddings
) -> None:
    jo = emu.user(103, "Jo", "jo")
    chat = emu.private_chat(jo)
    async with running_bot(bot_settings(emu, wire_data_dir), e5):
        emu.send_text(chat, jo, f"/search {wire.QUERY}")
        [page] = await emu.wait_for_messages_async(chat, 1, timeout=60)
        emu.press_button(chat, jo, page.message_id, data_of(page, "📰 Кто опубликовал"))
        [_, shown] = await emu.wait_for_messages_async(chat, 2, timeout=60)

    shown_rows = rows(page)  # « / » first, then 📰 (one story with copies on the page), 📚 below it
    assert shown_rows.index(["📰 Кто опубликовал"]) == 1 < shown_rows.index(["📚 Все копии"])
    lines = shown.text.splitlines()
    assert lines[1].startswith("Первым: 2026-01-06 · Пример-Новости — ")
    assert lines[2] == "Следом:"
    assert lines[3].startswith("  2026-01-07 · +24 ч (через 1 дн.) · Вести-Пример — ")
    assert lines[4].startswith("  2026-01-09 · +72 ч (через 3 дн.) · Север-Пример — ")
    assert lines[5] == "Писали 2026-01-03 … 2026-01-09, но не его: Телеграф-Пример"
    links = [str(e["url"]) for e in shown.entities if e["type"] == "text_link"]
    assert links == [
        "https://example.org/a/paris-talks",
        "https://vesti.example/world/guarantees",
        "https://sever.example/2026/01/09/guarantees",
    ]


async def test_an_answer_citing_the_story_has_the_button_under_its_own(
    emu: BotApiEmulator, wire_data_dir: Path, e5: E5Embeddings
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, wire_data_dir), e5):
        emu.send_text(chat, alice, "Какие гарантии безопасности для Украины обсуждают?")
        [answer] = await emu.wait_for_messages_async(chat, 1, timeout=60)
        emu.press_button(chat, alice, answer.message_id, data_of(answer, "📰 Кто опубликовал"))
        [_, shown] = await emu.wait_for_messages_async(chat, 2, timeout=60)

    assert rows(answer) == [["📄 Цитаты", "👍", "👎"], ["📰 Кто опубликовал"]]
    assert "Первым: 2026-01-06 · Пример-Новости" in shown.text
