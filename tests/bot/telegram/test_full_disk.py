"""A disk that fills while the bot runs, and frees: the bot keeps answering, says why it cannot record a
vote or a follow, tells the admin chat once, keeps its last saved state whole, and saves again (losing
nothing) once there is space."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chromadb.api.models.Collection import Collection
from chromadb.errors import InternalError

from bot.feedback import FILE_NAME, FeedbackStore
from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from tests.bot.conftest import ADMIN_ID, bot_settings, running_bot
from tests.conftest import SAMPLE
from tests.emulators.bot_api import BotApiEmulator, SentMessage

FROST = "Что писали о морозах в Москве?"
PARIS = "Кто представит США на переговорах в Париже?"
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."
CHROMA_FULL = "Query error: Database error: (code: 13) database or disk is full"


class FullDisk:
    """The disk of the data dir and of the bot's state, full or not (:meth:`fill`, :meth:`free`).

    While full, as on a real full disk: SQLite can add no page to the feedback database (its own
    ``SQLITE_FULL``, "database or disk is full"), Chroma's writes fail with what it then says, and the
    data of a file written in the state's folder never reaches the disk (``fsync`` says ``ENOSPC``, as
    it does when the blocks are allocated late). Everything else works as usual.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, state_folder: Path) -> None:
        self.full = False
        connect, fsync, upsert, add = sqlite3.connect, os.fsync, Collection.upsert, Collection.add

        def connect_full(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
            conn = connect(database, *args, **kwargs)
            if self.full and Path(database).name == FILE_NAME:
                [(pages,)] = conn.execute("PRAGMA page_count").fetchall()
                conn.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
            return conn

        def fsync_full(fd: int) -> None:
            if self.full and Path(f"/proc/self/fd/{fd}").readlink().parent == state_folder:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            fsync(fd)

        def upsert_full(collection: Collection, *args: Any, **kwargs: Any) -> None:
            if self.full:
                raise InternalError(CHROMA_FULL)
            upsert(collection, *args, **kwargs)

        def add_full(collection: Collection, *args: Any, **kwargs: Any) -> None:
            if self.full:
                raise InternalError(CHROMA_FULL)
            add(collection, *args, **kwargs)

        monkeypatch.setattr(sqlite3, "connect", connect_full)
        monkeypatch.setattr(os, "fsync", fsync_full)
        monkeypatch.setattr(Collection, "upsert", upsert_full)
        monkeypatch.setattr(Collection, "add", add_full)  # a follow takes its places with add

    def fill(self) -> None:
        self.full = True

    def free(self) -> None:
        self.full = False


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    """The sample archive in a data directory of this module's own (its feedback database is new)."""
    data_dir = tmp_path_factory.mktemp("full-disk")
    Ingestion(open_store(load_settings(data_dir=data_dir)), e5, lock_dir=data_dir / "locks").run([SAMPLE])
    return data_dir


def button(message: SentMessage, label: str) -> str:
    [data] = [b["callback_data"] for b in message.buttons if label in b["text"]]
    return str(data)


async def shown(emu: BotApiEmulator, query_id: str) -> tuple[str | None, bool]:
    """What the user's client shows for a press: the note's text, and whether it is an alert box."""
    [answer] = await emu.wait_for_async(
        lambda: [a for a in emu.callback_answers if a.callback_query_id == query_id] or None, timeout=15
    )
    return answer.text, answer.show_alert


def lines(caplog: pytest.LogCaptureFixture, keep: Callable[[str], bool]) -> list[str]:
    return [r.getMessage() for r in caplog.records if keep(r.getMessage())]


async def test_a_disk_that_fills_and_frees_while_the_bot_runs(
    emu: BotApiEmulator,
    data_dir: Path,
    e5: E5Embeddings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="newsbot")
    alice, admin = emu.user(101, "Alice", "alice"), emu.user(ADMIN_ID, "Ada", "ada")
    chat, admin_chat = emu.private_chat(alice), emu.private_chat(admin)
    state = tmp_path / "state" / "state.pickle"
    settings = bot_settings(emu, data_dir, admin_chat_id=admin_chat.id, bot_state_file=state)
    disk = FullDisk(monkeypatch, state.parent)
    async with running_bot(settings, e5) as app:
        emu.send_text(chat, alice, FROST)
        [before] = await emu.wait_for_messages_async(chat, 1, timeout=30)
        await app.update_persistence()  # a round of saving, as every minute
        saved = state.read_bytes()

        disk.fill()
        emu.send_text(chat, alice, PARIS)
        [_, during] = await emu.wait_for_messages_async(chat, 2, timeout=30)
        vote_refused = await shown(
            emu, emu.press_button(chat, alice, during.message_id, button(during, "👍"))
        )
        emu.send_text(chat, alice, "/follow морозы")
        [*_, follow_refused] = await emu.wait_for_messages_async(chat, 3, timeout=30)
        await app.update_persistence()
        await app.update_persistence()  # still full: tried again, said once
        emu.send_text(chat, alice, FROST)
        [*_, still_answered] = await emu.wait_for_messages_async(chat, 4, timeout=30)
        kept = state.read_bytes()
        leftovers = sorted(p.name for p in state.parent.iterdir())

        disk.free()
        await app.update_persistence()  # the next round
        vote = await shown(emu, emu.press_button(chat, alice, during.message_id, button(during, "👍")))
        emu.send_text(chat, alice, "/follow морозы")
        [*_, followed] = await emu.wait_for_messages_async(chat, 5, timeout=30)
        told = emu.messages(admin_chat)

    assert "Уиткофф" in during.text and "[1]" in still_answered.text  # answers go on
    assert vote_refused == (APOLOGY, True)
    assert follow_refused.text == APOLOGY
    assert kept == saved and leftovers == ["state.pickle"]  # the last save, whole
    [report] = told  # once, for the first of the three failures
    assert report.text.startswith("⚠️ callback ") and "from user 101 in chat 101" in report.text
    assert f"the disk holding the feedback database {data_dir / FILE_NAME} is full" in report.text
    assert vote == ("Thanks! 👍 recorded.", False)
    assert followed.text.startswith("🔔 Following «морозы»")
    [entry] = FeedbackStore.under(data_dir).entries()
    assert (entry.user_id, entry.question) == (101, PARIS)
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(lines(caplog, lambda m: f"the disk holding the bot's state {state} is full" in m)) == 1
    assert lines(caplog, lambda m: "saved again" in m) == [f"the bot's state is saved again to {state}"]

    async with running_bot(settings, e5):  # after a restart, a button shown while the disk was full works
        voted = emu.message(chat, during.message_id)  # its keyboard now shows the vote
        emu.press_button(chat, alice, during.message_id, button(voted, "📄"))
        [*_, quotes] = await emu.wait_for_messages_async(chat, 6, timeout=30)
        emu.press_button(chat, alice, before.message_id, button(before, "📄"))
        [*_, earlier] = await emu.wait_for_messages_async(chat, 7, timeout=30)
    assert quotes.text.startswith("Цитаты источников\n\n[1]") and "Уиткофф" in quotes.text
    assert earlier.text.startswith("Цитаты источников\n\n[1] Синоптики пообещали москвичам морозы")


async def test_a_stop_on_a_full_disk_keeps_the_last_save_whole(
    emu: BotApiEmulator,
    data_dir: Path,
    e5: E5Embeddings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    alice, admin = emu.user(102, "Bob", "bob"), emu.user(ADMIN_ID, "Ada", "ada")
    chat, admin_chat = emu.private_chat(alice), emu.private_chat(admin)
    state = tmp_path / "state" / "state.pickle"
    settings = bot_settings(emu, data_dir, admin_chat_id=admin_chat.id, bot_state_file=state)
    disk = FullDisk(monkeypatch, state.parent)
    async with running_bot(settings, e5) as app:
        emu.send_text(chat, alice, FROST)
        await emu.wait_for_messages_async(chat, 1, timeout=30)
        await app.update_persistence()
        saved = state.read_bytes()
        disk.fill()
        emu.send_text(chat, alice, PARIS)
        await emu.wait_for_messages_async(chat, 2, timeout=30)
    assert state.read_bytes() == saved
    assert sorted(p.name for p in state.parent.iterdir()) == ["state.pickle"]
    assert "Traceback" not in caplog.text
    assert lines(caplog, lambda m: "when stopping" in m) == [
        f"the bot's state could not be saved when stopping (No space left on device); {state} keeps the "
        "state saved before"
    ]
