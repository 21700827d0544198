"""The data dir holds chat ids and the words they follow (in Chroma's files), questions, answers and votes:
newsbot makes it, and its own folders in it, for its owner only. A data dir someone made keeps its mode;
the folders in it that are newsbot's alone are narrowed."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.archive import Archive
from bot.telegram.app import build_application
from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import bot_settings
from tests.emulators.bot_api import BotApiEmulator
from tests.support.cli import run


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The usual umask (022), under which folders are open to all unless the code says otherwise."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_data_dir_newsbot_makes_is_its_owners_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "new" / "newsbot"
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(data_dir))
    code, out, _ = run(["stats"], capsys)
    assert code == 0 and f"Store: {data_dir / 'chroma'}" in out
    assert mode(tmp_path / "new") == mode(data_dir) == mode(data_dir / "chroma") == 0o700
    assert (data_dir / "chroma" / "chroma.sqlite3").exists()  # where the follows are kept, out of reach


def test_a_data_dir_someone_made_keeps_its_mode_and_the_store_folder_in_it_is_narrowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "srv-newsbot"
    data_dir.mkdir(mode=0o755)
    (data_dir / "chroma").mkdir(mode=0o755)  # as an earlier version made it
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(data_dir))
    code, _, _ = run(["stats"], capsys)
    assert code == 0
    assert mode(data_dir) == 0o755
    assert mode(data_dir / "chroma") == 0o700


async def test_the_bot_started_on_a_new_data_dir_makes_it_its_owners_only(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    data_dir = tmp_path / "fresh"
    settings = bot_settings(emu, data_dir, bot_state_file=None)  # the default place: <data dir>/bot
    async with build_application(settings, archive=Archive(settings, embeddings=e5)):
        pass
    assert mode(data_dir) == mode(data_dir / "bot") == 0o700
