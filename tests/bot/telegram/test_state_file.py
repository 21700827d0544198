"""The bot's saved state (buttons, conversations) as whoever can write its folder meets it: a file that
would run code, a link planted in its place, a file others may write. Each is refused with one line in
the log, set aside, and the bot starts without it; what the bot writes is always its own private file."""

from __future__ import annotations

import builtins
import os
import pickle
import stat
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.archive import Archive
from bot.telegram.app import build_application
from bot.telegram.persistence import KEPT_TYPES, MOVED
from bot.telegram.threads import ChatThreads
from bot.telegram.upload_files import new_upload_folder
from retrieval.embeddings import E5Embeddings
from retrieval.settings import Settings
from tests.bot.conftest import bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator

QUESTION = "Что писали о морозах в Москве?"


class Calls:
    """Pickles as the call ``function(*args)``: what a crafted state file holds."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self.function, self.args = function, args

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return self.function, self.args


def saved_state(**parts: Any) -> bytes:
    """A state file as PTB's ``PicklePersistence`` lays it out, with ``parts`` in it."""
    data = {"user_data": {}, "chat_data": {}, "bot_data": {}, "callback_data": None, "conversations": {}}
    return pickle.dumps(data | parts, protocol=pickle.HIGHEST_PROTOCOL)


def private_file(path: Path, content: bytes, mode: int = 0o600) -> Path:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_bytes(content)
    path.chmod(mode)
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def state_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "the bot's saved state" in r.getMessage()]


async def start_and_stop(settings: Settings, e5: E5Embeddings) -> dict[str, Any] | None:
    """Start the bot as ``newsbot serve`` does (which loads its saved state) and stop it; what it had
    loaded: chat data and the buttons' cache."""
    app = build_application(settings, archive=Archive(settings, embeddings=e5))
    async with app:
        cache = app.bot.callback_data_cache  # type: ignore[attr-defined]
        return {"chat_data": dict(app.chat_data), "keyboards": cache.persistence_data[0]}


# -- a file that would run code ------------------------------------------------------------------------


async def test_a_state_file_that_would_run_a_command_runs_nothing_and_the_bot_answers(
    emu: BotApiEmulator,
    sample_data_dir: Path,
    e5: E5Embeddings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    marker = tmp_path / "ran"
    crafted = saved_state(chat_data={101: {"threads": Calls(os.system, f"touch {marker}")}})
    state = private_file(tmp_path / "state" / "state.pickle", crafted)
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, sample_data_dir, bot_state_file=state), e5):
        emu.send_text(chat, alice, QUESTION)
        [answer] = await emu.wait_for_messages_async(chat, 1, timeout=30)
    refused = state.with_name("state.pickle.refused")
    assert not marker.exists()
    assert "[1]" in answer.text
    assert refused.read_bytes() == crafted
    assert state_lines(caplog) == [
        f"the bot's saved state {state} names posix.system, which the bot never saves: set aside as "
        f"{refused}; the bot starts without it"
    ]
    assert "Traceback" not in caplog.text
    assert not state.is_symlink() and mode(state) == 0o600  # the bot's own state, saved anew at stop


def _touch(marker: Path) -> Any:
    return Calls(os.system, f"touch {marker}")


CRAFTED: dict[str, Callable[[Path], bytes]] = {
    "a shell command": lambda m: saved_state(chat_data={1: {"x": _touch(m)}}),
    "a subprocess": lambda m: saved_state(chat_data={1: {"x": Calls(subprocess.call, ["touch", str(m)])}}),
    "exec of Python": lambda m: saved_state(user_data={1: Calls(builtins.exec, f"open({str(m)!r}, 'w')")}),
    "a method of an object": lambda m: saved_state(bot_data={"x": Calls(Path(m).touch)}),
    "a function of the project": lambda m: saved_state(chat_data={1: {"x": Calls(new_upload_folder, m)}}),
    "a call inside a button": lambda m: saved_state(callback_data=([("k", 0.0, {"b": _touch(m)})], {})),
    "a call after what the bot saves": lambda m: saved_state(
        chat_data={1: {"threads": ChatThreads()}}, conversations=_touch(m)
    ),
}


@pytest.mark.parametrize("crafted", CRAFTED.values(), ids=CRAFTED.keys())
async def test_no_crafted_state_file_runs_anything(
    crafted: Callable[[Path], bytes],
    emu: BotApiEmulator,
    sample_data_dir: Path,
    e5: E5Embeddings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    marker = tmp_path / "ran"
    content = crafted(marker)
    state = private_file(tmp_path / "state" / "state.pickle", content)
    loaded = await start_and_stop(bot_settings(emu, sample_data_dir, bot_state_file=state), e5)
    assert not marker.exists()
    assert loaded == {"chat_data": {}, "keyboards": []}
    assert state.with_name("state.pickle.refused").read_bytes() == content
    [line] = state_lines(caplog)
    assert line.startswith(f"the bot's saved state {state} names ")
    assert line.endswith(
        f", which the bot never saves: set aside as {state}.refused; the bot starts without it"
    )


SHAPES: dict[str, bytes] = {
    "not a dict": pickle.dumps([1, 2]),
    "chat data a list": saved_state(chat_data=[1, 2]),
    "a chat's data a string": saved_state(chat_data={1: "x"}),
    "buttons a string": saved_state(callback_data="x"),
    "a keyboard without its buttons": saved_state(callback_data=([("k", 0.0)], {})),
}


@pytest.mark.parametrize("content", SHAPES.values(), ids=SHAPES.keys())
async def test_a_state_file_of_another_shape_is_set_aside_and_the_bot_starts(
    content: bytes,
    emu: BotApiEmulator,
    sample_data_dir: Path,
    e5: E5Embeddings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    state = private_file(tmp_path / "state" / "state.pickle", content)
    loaded = await start_and_stop(bot_settings(emu, sample_data_dir, bot_state_file=state), e5)
    assert loaded == {"chat_data": {}, "keyboards": []}
    assert state.with_name("state.pickle.unreadable").read_bytes() == content
    assert state_lines(caplog) == [
        f"the bot's saved state {state} does not hold what the bot saves: set aside as {state}.unreadable; "
        "the bot starts without it"
    ]


# -- links and files others may write ------------------------------------------------------------------


async def test_a_link_to_another_file_is_refused_and_that_file_left_as_it_was(
    emu: BotApiEmulator,
    sample_data_dir: Path,
    e5: E5Embeddings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    victim = private_file(tmp_path / "victim" / "precious.txt", b"precious", mode=0o644)
    state = tmp_path / "state" / "state.pickle"
    state.parent.mkdir(mode=0o700)
    state.symlink_to(victim)
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, sample_data_dir, bot_state_file=state), e5):
        emu.send_text(chat, alice, QUESTION)
        await emu.wait_for_messages_async(chat, 1, timeout=30)
    assert victim.read_bytes() == b"precious" and mode(victim) == 0o644
    assert state.with_name("state.pickle.refused").readlink() == victim
    assert not state.is_symlink() and state.is_file() and mode(state) == 0o600  # the bot's own, saved at stop
    assert state_lines(caplog) == [
        f"the bot's saved state {state} is a symbolic link: set aside as {state}.refused; the bot starts "
        "without it"
    ]


async def test_a_dangling_link_in_a_shared_folder_makes_the_bot_write_nothing_where_it_points(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings, tmp_path: Path
) -> None:
    shared, elsewhere = tmp_path / "shared", tmp_path / "elsewhere"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: anyone may put a file, or a link, there
    elsewhere.mkdir()
    state = shared / "newsbot-state.pickle"
    state.symlink_to(elsewhere / "planted")
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, sample_data_dir, bot_state_file=state), e5):
        emu.send_text(chat, alice, QUESTION)
        await emu.wait_for_messages_async(chat, 1, timeout=30)
    assert list(elsewhere.iterdir()) == []
    assert not state.is_symlink() and mode(state) == 0o600
    assert mode(shared) == 0o1777  # a folder someone chose keeps its mode


@pytest.mark.parametrize("wide", [0o666, 0o620, 0o602])
async def test_a_state_file_others_may_write_is_refused(
    wide: int,
    emu: BotApiEmulator,
    sample_data_dir: Path,
    e5: E5Embeddings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    content = saved_state(chat_data={101: {"note": "whoever wrote this"}})
    state = private_file(tmp_path / "state" / "state.pickle", content, mode=wide)
    loaded = await start_and_stop(bot_settings(emu, sample_data_dir, bot_state_file=state), e5)
    assert loaded == {"chat_data": {}, "keyboards": []}
    refused = state.with_name("state.pickle.refused")
    assert refused.read_bytes() == content and mode(refused) == wide  # set aside as it was
    assert state_lines(caplog) == [
        f"the bot's saved state {state} can be written by other users (mode {wide:04o}): set aside as "
        f"{refused}; the bot starts without it"
    ]


async def test_an_earlier_versions_state_readable_by_others_is_loaded_and_made_private(
    emu: BotApiEmulator,
    sample_data_dir: Path,
    e5: E5Embeddings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    content = saved_state(chat_data={101: {"note": "kept"}})
    state = private_file(tmp_path / "state" / "state.pickle", content, mode=0o644)
    loaded = await start_and_stop(bot_settings(emu, sample_data_dir, bot_state_file=state), e5)
    assert loaded is not None and loaded["chat_data"] == {101: {"note": "kept"}}
    assert mode(state) == 0o600
    assert state_lines(caplog) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user takes root")
async def test_a_state_file_of_another_user_is_refused(
    emu: BotApiEmulator,
    sample_data_dir: Path,
    e5: E5Embeddings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    state = private_file(tmp_path / "state" / "state.pickle", saved_state(chat_data={101: {"a": 1}}))
    os.chown(state, 65534, 65534)
    loaded = await start_and_stop(bot_settings(emu, sample_data_dir, bot_state_file=state), e5)
    assert loaded == {"chat_data": {}, "keyboards": []}
    assert state_lines(caplog) == [
        f"the bot's saved state {state} belongs to another user (uid 65534): set aside as {state}.refused; "
        "the bot starts without it"
    ]


async def test_the_state_folder_and_file_are_private_from_the_start(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings, tmp_path: Path
) -> None:
    previous = os.umask(0o022)
    try:
        state = tmp_path / "new" / "bot" / "state.pickle"
        alice = emu.user(101, "Alice", "alice")
        chat = emu.private_chat(alice)
        async with running_bot(bot_settings(emu, sample_data_dir, bot_state_file=state), e5) as app:
            emu.send_text(chat, alice, QUESTION)
            await emu.wait_for_messages_async(chat, 1, timeout=30)
            await app.update_persistence()  # a round of saving, as every minute
            assert mode(state) == 0o600
    finally:
        os.umask(previous)
    assert mode(tmp_path / "new") == mode(state.parent) == 0o700
    assert [p.name for p in state.parent.iterdir()] == ["state.pickle"]  # no temporary file left


# -- a file saved before bot/ was laid out in folders ---------------------------------------------------


async def test_a_state_file_naming_the_modules_of_before_still_loads(
    emu: BotApiEmulator,
    sample_data_dir: Path,
    e5: E5Embeddings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A conversation saved when the threads lived in ``bot.threads`` is read back, not refused."""
    old = types.ModuleType("bot.threads")
    old.ChatThreads = ChatThreads  # type: ignore[attr-defined]
    with monkeypatch.context() as then:
        then.setitem(sys.modules, "bot.threads", old)
        then.setattr(ChatThreads, "__module__", "bot.threads")
        content = saved_state(chat_data={101: {"threads": ChatThreads()}})
    assert b"bot.threads" in content and b"bot.telegram.threads" not in content
    state = private_file(tmp_path / "state" / "state.pickle", content)
    loaded = await start_and_stop(bot_settings(emu, sample_data_dir, bot_state_file=state), e5)
    assert loaded is not None and isinstance(loaded["chat_data"][101]["threads"], ChatThreads)
    assert state_lines(caplog) == []  # neither refused nor unreadable


def test_every_module_a_kept_class_moved_from_names_where_it_is_now() -> None:
    for new in MOVED.values():
        assert any(name.startswith(f"{new}.") for name in KEPT_TYPES), new
