"""What the bot leaves on disk: private feedback and uploads, uploads kept only as long as set, and the
``.env`` that settings were read from named at start-up."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.feedback import FeedbackStore
from bot.telegram.upload_files import download_path, new_upload_folder, prune_uploads, unpack
from retrieval.embeddings import E5Embeddings
from retrieval.errors import StoreError
from tests.bot.conftest import ADMIN_ID, bot_settings, running_bot
from tests.bot.telegram.test_uploads import TRAM, make_zip
from tests.emulators.bot_api import BotApiEmulator, SentMessage

MB = 2**20


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (022), under which files are readable by all unless the code says otherwise."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def button(message: SentMessage, label: str) -> str:
    [data] = [b["callback_data"] for b in message.buttons if label in b["text"]]
    return str(data)


async def emptied(folder: Path, timeout: float = 30) -> bool:
    """Wait (bounded) for ``folder`` to hold nothing; whether it came to."""
    for _ in range(int(timeout / 0.1)):
        if not any(folder.iterdir()):
            return True
        await asyncio.sleep(0.1)
    return not any(folder.iterdir())


def record_vote(store: FeedbackStore) -> None:
    store.record(
        answer_key="k1", user_id=1, chat_id=1, vote=1, question="q", answer="a [1]", article_ids=["a-1"]
    )


# -- private files -----------------------------------------------------------------------------------


def test_the_feedback_database_and_its_journals_are_private(tmp_path: Path, open_umask: None) -> None:
    store = FeedbackStore.under(tmp_path)
    record_vote(store)
    assert mode(store.path) == 0o600
    with sqlite3.connect(store.path) as other:  # a reader in WAL mode keeps the -wal and -shm files open
        other.execute("PRAGMA journal_mode=WAL")
        other.execute("SELECT count(*) FROM feedback").fetchall()
        record_vote(store)
        side_files = [store.path.with_name(store.path.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in side_files)
        assert [mode(p) for p in side_files] == [0o600, 0o600]
    older = tmp_path / "older"
    older.mkdir()
    sqlite3.connect(older / "feedback.sqlite3").close()  # as an earlier version made it
    (older / "feedback.sqlite3").chmod(0o644)
    record_vote(FeedbackStore.under(older))
    assert mode(older / "feedback.sqlite3") == 0o600


def test_a_link_in_place_of_the_feedback_database_is_refused_and_what_it_points_to_left_alone(
    tmp_path: Path, open_umask: None
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    victim.chmod(0o644)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "feedback.sqlite3").symlink_to(victim)
    with pytest.raises(StoreError, match=r"feedback.sqlite3 is a symbolic link: refused"):
        record_vote(FeedbackStore.under(data_dir))
    assert victim.read_text() == "precious" and mode(victim) == 0o644


def test_uploads_are_private(tmp_path: Path, open_umask: None) -> None:
    uploads = tmp_path / "uploads"
    uploads.mkdir(mode=0o755)  # as an earlier version left it
    saved = download_path(new_upload_folder(uploads), "batch.zip")
    saved.write_bytes(make_zip({"a/one.txt": b"one", "two.txt": b"two"}))
    unpacked = unpack(saved, MB)
    assert mode(uploads) == mode(saved.parent) == 0o700
    assert [mode(p) for p in sorted(unpacked.path.rglob("*"))] == [0o700, 0o600, 0o600]  # a/, a/one, two


async def test_what_users_leave_is_private_on_disk(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, open_umask: None
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    data_dir = tmp_path / "data"
    async with running_bot(bot_settings(emu, data_dir), e5):
        emu.send_document(chat, admin, "tver-tram.txt", TRAM.encode())
        [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
        await emu.wait_for_async(lambda: "finished" in emu.message(chat, status.message_id).text, timeout=60)
        emu.send_text(chat, admin, "Что запустили в Твери?")
        [_, answer] = await emu.wait_for_messages_async(chat, 2, timeout=30)
        vote = emu.press_button(chat, admin, answer.message_id, button(answer, "👍"))
        await emu.wait_for_async(lambda: any(a.callback_query_id == vote for a in emu.callback_answers))
    [folder] = list((data_dir / "uploads").iterdir())
    assert "водородном топливе" in answer.text
    assert mode(data_dir / "uploads") == mode(folder) == 0o700
    assert mode(folder / "tver-tram.txt") == 0o600
    assert mode(data_dir / "feedback.sqlite3") == 0o600  # user ids, questions and answers


# -- how long uploads are kept ---------------------------------------------------------------------------


def test_old_uploads_are_pruned_and_others_left_alone(tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    old = new_upload_folder(uploads, now - timedelta(days=31))
    recent = new_upload_folder(uploads, now - timedelta(days=29))
    (old / "news.txt").write_text("old")
    (uploads / "notes").mkdir()  # not an upload folder
    assert prune_uploads(uploads, 30, now) == [old]
    assert sorted(p.name for p in uploads.iterdir()) == sorted([recent.name, "notes"])
    assert prune_uploads(uploads, 0, now) == [recent]  # 0: none kept
    assert [p.name for p in uploads.iterdir()] == ["notes"]
    assert prune_uploads(tmp_path / "never-made", 30, now) == []


async def test_uploads_older_than_the_kept_days_are_removed_at_start_up(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    data_dir = tmp_path / "data"
    now = datetime.now(UTC)
    old = new_upload_folder(data_dir / "uploads", now - timedelta(days=8))
    recent = new_upload_folder(data_dir / "uploads", now - timedelta(days=6))
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    async with running_bot(bot_settings(emu, data_dir, uploads_keep_days=7), e5):
        emu.send_text(chat, admin, "/help")
        await emu.wait_for_messages_async(chat, 1, timeout=30)
    assert not old.exists() and recent.exists()


async def test_with_no_days_kept_an_upload_is_removed_once_ingested(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    data_dir = tmp_path / "data"
    async with running_bot(bot_settings(emu, data_dir, uploads_keep_days=0), e5):
        emu.send_document(chat, admin, "tver-tram.txt", TRAM.encode())
        [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
        await emu.wait_for_async(lambda: "finished" in emu.message(chat, status.message_id).text, timeout=60)
        removed = await emptied(data_dir / "uploads")
        emu.send_text(chat, admin, "Что запустили в Твери?")
        [_, answer] = await emu.wait_for_messages_async(chat, 2, timeout=30)
    assert emu.message(chat, status.message_id).text.startswith(
        "✅ Ingesting tver-tram.txt\nIngestion finished"
    )
    assert removed
    assert "водородном топливе" in answer.text  # the archive keeps what was ingested


# -- which .env ------------------------------------------------------------------------------------------


def test_serve_names_the_env_file_it_read_and_what_it_set_never_the_values(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="newsbot")
    assert main(["serve"]) == 2  # no token anywhere
    assert f"settings: from the environment (no .env in {tmp_path})" in caplog.text
    caplog.clear()
    (tmp_path / ".env").write_text(
        "# a stray .env\n"
        "NEWSBOT_COLLECTION=elsewhere\n"
        "NEWSBOT_LLM_BASE_URL=http://10.9.8.7:1234/v1\n"
        "NEWSBOT_DATA_DIR=/srv/somebody-elses\n",  # the environment sets it too (tests/conftest.py)
        encoding="utf-8",
    )
    assert main(["serve"]) == 2
    env_file = tmp_path / ".env"
    assert f"settings: read {env_file}, which sets NEWSBOT_COLLECTION, NEWSBOT_LLM_BASE_URL" in caplog.text
    assert f"settings: the environment overrides NEWSBOT_DATA_DIR from {env_file}" in caplog.text
    assert "elsewhere" not in caplog.text and "10.9.8.7" not in caplog.text and "somebody" not in caplog.text
