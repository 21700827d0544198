"""The local ingestion lock file: it names the running ingestion while one runs, and nothing after."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from ingest import locking
from ingest.locking import ingest_lock, local_lock
from retrieval.errors import IngestLocked, StoreFull, StoreUnavailable
from retrieval.store.chunks import ChunkStore
from tests.conftest import REPO

HOLD = """
import sys
from pathlib import Path
from ingest.locking import local_lock
from retrieval.store.chunks import ChunkStore
store = ChunkStore.open(None, Path(sys.argv[1]), "news")
with local_lock(Path(sys.argv[2]), store):
    print("held", flush=True)
    sys.stdin.read()
"""


def lock_files(lock_dir: Path) -> list[Path]:
    return sorted(lock_dir.glob("ingest-news-*.lock"))


def test_the_lock_file_names_the_holder_only_while_held(tmp_path: Path) -> None:
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    locks = tmp_path / "locks"
    with local_lock(locks, store):
        [path] = lock_files(locks)
        assert path.read_text().startswith(f"pid {os.getpid()} since ")
        with (
            pytest.raises(IngestLocked, match=f"is running \\(pid {os.getpid()} since "),
            local_lock(locks, store),
        ):
            pass
    assert path.read_text() == ""
    with local_lock(locks, store):  # free again
        assert path.read_text().startswith(f"pid {os.getpid()} ")
    assert path.read_text() == ""


def test_a_failed_run_leaves_no_holder_behind(tmp_path: Path) -> None:
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    locks = tmp_path / "locks"
    with pytest.raises(RuntimeError), local_lock(locks, store):
        raise RuntimeError("the run failed")
    [path] = lock_files(locks)
    assert path.read_text() == ""


def test_a_full_disk_when_naming_the_holder_is_a_store_full_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock file is written as a run starts: on a full disk that is one clear StoreFull (which the
    bot logs in one line), not a raw OSError's traceback, nor one from closing the file after it."""
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    locks = tmp_path / "locks"
    real_write = locking._write

    def full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(locking, "_write", full)
    with (
        pytest.raises(StoreFull, match=r"disk holding .*\.lock is full"),
        local_lock(locks, store),
    ):
        pass
    monkeypatch.setattr(locking, "_write", real_write)
    with local_lock(locks, store):  # once there is space, the next run takes the lock
        pass


def test_a_killed_holder_is_taken_over(tmp_path: Path) -> None:
    locks = tmp_path / "locks"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "chroma"), str(locks)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        [path] = lock_files(locks)
        assert path.read_text().startswith(f"pid {child.pid} since ")
        store = ChunkStore.open(None, tmp_path / "chroma", "news")
        with pytest.raises(IngestLocked, match=f"pid {child.pid}"), local_lock(locks, store):
            pass
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    with local_lock(locks, store):
        assert path.read_text().startswith(f"pid {os.getpid()} ")
    assert path.read_text() == ""


def test_after_newsbot_ingest_the_lock_file_is_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "note.txt").write_text(
        "Lock files\n\nA lock file should not outlive its run.", encoding="utf-8"
    )
    assert main(["ingest", "--no-progress", str(archive)]) == 0
    assert "1 added" in capsys.readouterr().out
    [path] = lock_files(tmp_path / "data" / "locks")
    assert path.read_text() == ""


def test_a_lease_left_by_a_run_of_this_process_does_not_lock_out_its_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store refused the lease's release (its disk was full, the server down): the bot's next channel
    post or feed round must not wait 120 s for its own process's lease to go stale (the soak saw channel
    posts wait five minutes, the inbox's back-off growing meanwhile). Another process still waits."""
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    locks = tmp_path / "locks"
    with ingest_lock(locks, store, prepare=lambda: store.ensure("test-model", 2)):
        monkeypatch.setattr(store, "update_metadata", refuse)  # the release will fail
    monkeypatch.undo()
    left = store.metadata()  # still there, naming this live process: another process waits for it
    assert left["newsbot_lock_owner"] and left["newsbot_lock_pid"] == os.getpid()
    assert left["newsbot_lock_host"] == socket.gethostname()

    with ingest_lock(locks, store) as lease:  # this process's next run
        assert store.metadata()["newsbot_lock_owner"] == lease.owner
    assert not store.metadata()["newsbot_lock_owner"]  # and released


def refuse(**values: object) -> None:
    raise StoreUnavailable("the disk holding the vector store is full")
