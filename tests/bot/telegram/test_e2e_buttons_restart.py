"""Buttons outlive the bot: pressed after a restart, 📄, 👍 and a page turn still work; a button the bot
cannot know (sent before it kept its buttons, or older than what it keeps) says so politely."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import PicklePersistence

from bot.feedback import FeedbackStore
from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from tests.bot.conftest import bot_settings, running_bot
from tests.conftest import SAMPLE
from tests.emulators.bot_api import BotApiEmulator, SentMessage

EXPIRED = "This answer is too old for its buttons; please ask again."
QUESTION = "Что писали о морозах в Москве?"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    """The sample archive in a data directory of this module's own: its votes and buttons are its own."""
    data_dir = tmp_path_factory.mktemp("buttons")
    Ingestion(open_store(load_settings(data_dir=data_dir)), e5, lock_dir=data_dir / "locks").run([SAMPLE])
    return data_dir


def button(message: SentMessage, label: str) -> str:
    """The callback data of the one button whose label contains ``label``."""
    [data] = [b["callback_data"] for b in message.buttons if label in b["text"]]
    return str(data)


async def alert(emu: BotApiEmulator, query_id: str) -> tuple[str | None, bool]:
    """What the user's client shows for the press: the note's text, and whether it is an alert box."""
    [shown] = await emu.wait_for_async(
        lambda: [a for a in emu.callback_answers if a.callback_query_id == query_id] or None, timeout=15
    )
    return shown.text, shown.show_alert


async def keyboards_kept(path: Path) -> tuple[int, int]:
    """How many keyboards, and pressed buttons' queries, the persistence file holds."""
    saved = await PicklePersistence(path).get_callback_data()
    assert saved is not None
    keyboards, queries = saved
    return len(keyboards), len(queries)


async def test_buttons_pressed_after_a_restart_still_work(
    emu: BotApiEmulator, data_dir: Path, e5: E5Embeddings
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    settings = bot_settings(emu, data_dir, bot_state_file=None)  # the default place
    async with running_bot(settings, e5):
        emu.send_text(chat, alice, QUESTION)
        emu.send_text(chat, alice, "/search переговоры")
        answer, page = await emu.wait_for_messages_async(chat, 2, timeout=30)
    async with Bot(emu.token, base_url=emu.base_url) as older:  # a version that kept buttons in memory
        before = await older.send_message(
            chat.id,
            "an answer from before",
            reply_markup=InlineKeyboardMarkup.from_button(
                InlineKeyboardButton("📄 Цитаты", callback_data="s:Xy3_kQ9a")
            ),
        )
    assert settings.bot_state_path == data_dir / "bot" / "state.pickle"
    assert stat.S_IMODE(settings.bot_state_path.parent.stat().st_mode) == 0o700  # questions and answers

    async with running_bot(settings, e5):  # a new process, as after a restart or a deployment
        emu.press_button(chat, alice, answer.message_id, button(answer, "📄"))
        [*_, quoted] = await emu.wait_for_messages_async(chat, 4, timeout=15)
        vote = emu.press_button(chat, alice, answer.message_id, button(answer, "👍"))
        thanks = await alert(emu, vote)
        await emu.wait_for_async(lambda: emu.message(chat, answer.message_id).edits, timeout=15)
        emu.press_button(chat, alice, page.message_id, button(page, "»"))
        await emu.wait_for_async(lambda: emu.message(chat, page.message_id).edits, timeout=15)
        older_press = emu.press_button(chat, alice, before.message_id, "s:Xy3_kQ9a")
        too_old = await alert(emu, older_press)

    assert quoted.text.startswith("Цитаты источников\n\n[1] Синоптики пообещали москвичам морозы")
    assert thanks == ("Thanks! 👍 recorded.", False)
    assert [b["text"] for b in emu.message(chat, answer.message_id).buttons] == ["📄 Цитаты", "👍 ✓", "👎"]
    [entry] = FeedbackStore.under(data_dir).entries()
    assert (entry.question, entry.vote, entry.user_id) == (QUESTION, 1, 101)
    assert emu.message(chat, page.message_id).text.startswith("🔎 переговоры: 6–")
    assert too_old == (EXPIRED, True)
    assert len(emu.messages(chat)) == 4  # the answer, the search, the one from before, the quotes


async def test_a_button_older_than_the_cache_says_so(
    emu: BotApiEmulator, data_dir: Path, e5: E5Embeddings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.telegram.app.BUTTONS_KEPT", 3)
    bob = emu.user(102, "Bob", "bob")
    chat = emu.private_chat(bob)
    settings = bot_settings(emu, data_dir, bot_state_file=tmp_path / "state" / "buttons.pickle")
    async with running_bot(settings, e5):
        for _ in range(4):
            emu.send_text(chat, bob, "/search переговоры")
        first, *_, last = await emu.wait_for_messages_async(chat, 4, timeout=60)
        turned = emu.press_button(chat, bob, last.message_id, button(last, "»"))
        await emu.wait_for_async(lambda: emu.message(chat, last.message_id).edits, timeout=15)
        forgotten = emu.press_button(chat, bob, first.message_id, button(first, "»"))
        assert await alert(emu, forgotten) == (EXPIRED, True)
    assert await alert(emu, turned) == (None, False)
    assert emu.message(chat, last.message_id).text.startswith("🔎 переговоры: 6–")
    assert not emu.message(chat, first.message_id).edits
    keyboards, queries = await keyboards_kept(settings.bot_state_path)
    assert 1 <= keyboards <= 3 and queries <= 3


async def test_a_state_file_cut_short_is_set_aside_and_the_bot_starts(
    emu: BotApiEmulator, data_dir: Path, e5: E5Embeddings, tmp_path: Path
) -> None:
    alice = emu.user(131, "Alice", "alice")
    chat = emu.private_chat(alice)
    state = tmp_path / "state.pickle"
    state.write_bytes(b"\x80\x05\x95\x10\x00\x00")  # a pickle's first bytes: a write killed midway
    async with running_bot(bot_settings(emu, data_dir, bot_state_file=state), e5):
        emu.send_text(chat, alice, QUESTION)
        [answer] = await emu.wait_for_messages_async(chat, 1, timeout=30)
    assert "[1]" in answer.text
    assert (tmp_path / "state.pickle.unreadable").read_bytes() == b"\x80\x05\x95\x10\x00\x00"
