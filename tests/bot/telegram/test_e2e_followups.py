"""Follow-up questions through the Bot API emulator: a reply to an answer continues its conversation,
in a private chat so does a question soon after; a new subject leaves it; /new clears it; it survives
a restart."""

from __future__ import annotations

from pathlib import Path

from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator, SentMessage

FIRST = "who represents the US in Paris?"
FOLLOWUP = "and who hosts the meeting?"
PARIS = "Европейские лидеры совместно с представителями США"  # the Paris article's title begins so
HOST = "Макрон"  # in the article's sentence about the host; not in what the follow-up alone finds


async def ask(
    emu: BotApiEmulator, chat: object, user: object, text: str, reply_to: int | None = None
) -> SentMessage:
    before = len(emu.messages(chat))  # type: ignore[arg-type]
    emu.send_text(chat, user, text, reply_to=reply_to)  # type: ignore[arg-type]
    *_, answer = await emu.wait_for_messages_async(chat, before + 1, timeout=30)  # type: ignore[arg-type]
    return answer


async def test_a_reply_to_an_answer_follows_up_on_its_article(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings, tmp_path: Path
) -> None:
    alice = emu.user(201, "Alice", "alice")
    chat = emu.private_chat(alice)
    settings = bot_settings(
        emu, sample_data_dir, bot_state_file=tmp_path / "state.pickle", followup_minutes=0
    )
    async with running_bot(settings, e5):
        first = await ask(emu, chat, alice, FIRST)
        followup = await ask(emu, chat, alice, FOLLOWUP, reply_to=first.message_id)
        alone = await ask(emu, chat, alice, FOLLOWUP)  # no reply, no window: a question of its own
        other = await ask(
            emu, chat, alice, "Когда планируют открыть станцию «Тульская»?", reply_to=first.message_id
        )
    assert "Уиткофф" in first.text
    assert HOST in followup.text and PARIS in followup.text
    assert HOST not in alone.text
    assert "2028" in other.text and "Тульская" in other.text  # a new subject leaves the thread


async def test_in_a_group_a_reply_continues_and_each_member_has_their_own_thread(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings, tmp_path: Path
) -> None:
    alice, bob = emu.user(211, "Alice", "alice"), emu.user(212, "Bob", "bob")
    group = emu.group_chat(-700, "Newsroom")
    async with running_bot(bot_settings(emu, sample_data_dir, bot_state_file=tmp_path / "s.pickle"), e5):
        first = await ask(emu, group, alice, f"@{emu.bot_username} {FIRST}")
        by_bob = await ask(emu, group, bob, FOLLOWUP, reply_to=first.message_id)  # anyone may reply
        mention = await ask(emu, group, bob, f"@{emu.bot_username} {FOLLOWUP}")  # no window in groups
    assert HOST in by_bob.text
    assert HOST not in mention.text


async def test_new_starts_afresh_and_a_thread_outlives_a_restart(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings, tmp_path: Path
) -> None:
    alice = emu.user(221, "Alice", "alice")
    chat = emu.private_chat(alice)
    settings = bot_settings(emu, sample_data_dir, bot_state_file=tmp_path / "state.pickle")
    async with running_bot(settings, e5):
        first = await ask(emu, chat, alice, FIRST)
        soon = await ask(emu, chat, alice, FOLLOWUP)  # a private chat, within the window
        await ask(emu, chat, alice, FIRST)
        fresh = await ask(emu, chat, alice, "/new")
        after_new = await ask(emu, chat, alice, FOLLOWUP)
    async with running_bot(settings, e5):  # a new process on the same state file
        after_restart = await ask(emu, chat, alice, FOLLOWUP, reply_to=first.message_id)
    assert HOST in soon.text
    assert "new conversation" in fresh.text
    assert HOST not in after_new.text
    assert HOST in after_restart.text
