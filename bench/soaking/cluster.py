"""The parts the soak runs: a ``chroma run`` server, ``newsbot serve`` replicas, command-line runs, a disk.

Every part is the real one: the server is ``chroma run`` (restarted on the same port and folder after a
kill), each replica is a ``newsbot serve`` process long polling its own Bot API emulator, and ``newsbot
ingest`` / ``newsbot feeds add`` run as an operator runs them. :class:`Disk` is the folder that holds the
data (Chroma's and each replica's data dir): a size-limited tmpfs when the soak runs in a user and mount
namespace of its own (see ``bench/soak.py``), which :meth:`Disk.fill` fills to the last byte with a
ballast file and :meth:`Disk.free` empties again: a real ``ENOSPC`` for every process that writes there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.emulators.bot_api import BotApiEmulator
from tests.support.chroma_server import ChromaServer

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 300.0
"""Seconds a replica may take to load its model and start polling (two cores, other work beside)."""


def base_env() -> dict[str, str]:
    """The environment of every process started: no NEWSBOT_/TELEGRAM_ setting of the caller's, this
    tree's packages first, no telemetry."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "TELEGRAM_"))}
    return env | {"PYTHONPATH": str(REPO), "ANONYMIZED_TELEMETRY": "False", "ORT_DISABLE_TELEMETRY": "1"}


def newsbot(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


class Chroma:
    """``chroma run`` on a fixed port and folder: killed (SIGKILL) and started again at will; a death
    nobody asked for is noticed by :meth:`died` (the soak restarts it and reports it)."""

    def __init__(self, path: Path, log: Path) -> None:
        self.server = ChromaServer(path)
        self.server.log = log  # the log stays on the real disk, outside the data that fills up
        self.down_on_purpose = False

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> None:
        self.server.start(timeout=120)
        self.down_on_purpose = False

    def kill(self) -> None:
        self.down_on_purpose = True
        proc = self.server.proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        self.server.proc = None

    def died(self) -> int | None:
        """The exit status of a server that stopped without being asked to, else None."""
        proc = self.server.proc
        if self.down_on_purpose or proc is None:
            return None
        return proc.poll()

    def stop(self) -> None:
        self.down_on_purpose = True
        self.server.stop()

    def writes_answer(self, timeout: float = 20.0) -> bool:
        """Whether the server answers a write (a record with metadata upserted in a collection of the
        soak's own) within ``timeout``. ``chroma run`` 1.5.9, once an upsert with metadata failed on a
        full disk, answers reads but no upsert with metadata, in any collection, after space is freed,
        until it is restarted."""
        base = f"{self.url}/api/v2/tenants/default_tenant/databases/default_database/collections"
        record = {
            "ids": ["probe"],
            "embeddings": [[0.0, 1.0]],
            "metadatas": [{"probe": 1}],
            "documents": ["p"],
        }
        try:
            made = httpx.post(base, json={"name": "probe-soak", "get_or_create": True}, timeout=timeout)
            made.raise_for_status()
            written = httpx.post(f"{base}/{made.json()['id']}/upsert", json=record, timeout=timeout)
            return written.is_success
        except httpx.HTTPError:
            return False


@dataclass
class Replica:
    """One ``newsbot serve`` process and the emulator it long polls."""

    number: int
    emu: BotApiEmulator
    env: dict[str, str]
    log: Path
    cwd: Path
    proc: subprocess.Popen[bytes] | None = None
    restarts: list[tuple[float, int]] = field(default_factory=list)
    """(when, exit status) of each unexpected exit (the soak starts it again)."""

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                newsbot("-v", "serve"), cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Until the bot long polls its emulator (its post_init is done: the model is loaded)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"replica {self.number} exited: {tail(self.log)}")
            if any(r.method == "getUpdates" for r in self.emu.requests):
                return
            time.sleep(0.5)
        raise RuntimeError(
            f"replica {self.number} did not start polling in {timeout:.0f} s: {tail(self.log)}"
        )

    def exited(self) -> int | None:
        return None if self.proc is None else self.proc.poll()


def stop_all(replicas: list[Replica], timeout: float = 60.0) -> dict[int, float | None]:
    """SIGTERM to every replica at once, as a service manager stops them; the seconds each took to exit
    (None: still running after ``timeout``, then killed)."""
    start = time.monotonic()
    running = [r for r in replicas if r.proc is not None and r.proc.poll() is None]
    for replica in running:
        assert replica.proc is not None
        replica.proc.send_signal(signal.SIGTERM)
    took: dict[int, float | None] = {r.number: 0.0 for r in replicas}
    for replica in running:
        assert replica.proc is not None
        try:
            replica.proc.wait(timeout=max(0.1, start + timeout - time.monotonic()))
            took[replica.number] = time.monotonic() - start
        except subprocess.TimeoutExpired:
            replica.proc.kill()
            replica.proc.wait()
            took[replica.number] = None
    return took


def tail(path: Path, chars: int = 2000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


def start_cli(args: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    """A ``newsbot`` command, started; its output appended to ``log``."""
    with log.open("ab") as out:
        out.write(f"\n$ newsbot {' '.join(args)}\n".encode())
        out.flush()
        return subprocess.Popen(newsbot(*args), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)


def run_cli(args: list[str], env: dict[str, str], cwd: Path, log: Path) -> int:
    """A ``newsbot`` command to its end; its exit status."""
    return start_cli(args, env, cwd, log).wait()


class Disk:
    """The data's file system. ``tmpfs``: filled and freed for real; otherwise the fault is skipped."""

    BALLAST = ".soak-ballast"

    def __init__(self, root: Path, *, tmpfs: bool) -> None:
        self.root = root
        self.tmpfs = tmpfs

    def used_mb(self) -> float:
        st = os.statvfs(self.root)
        return (st.f_blocks - st.f_bfree) * st.f_frsize / 1e6

    def size_mb(self) -> float:
        st = os.statvfs(self.root)
        return st.f_blocks * st.f_frsize / 1e6

    def fill(self) -> int:
        """Take every free byte (a ballast file); the bytes taken."""
        path = self.root / self.BALLAST
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        taken = 0
        try:
            st = os.statvfs(self.root)
            with contextlib.suppress(OSError):
                os.posix_fallocate(fd, 0, st.f_bavail * st.f_frsize)
            taken = os.fstat(fd).st_size
            block = b"\0" * 4096
            while True:  # the crumbs fallocate left
                try:
                    taken += os.write(fd, block)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    return taken
        finally:
            os.close(fd)

    def free(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.root / self.BALLAST).unlink()
