"""One ingestion at a time per collection.

Two locks, both released by the operating system or by expiry when a run is killed:

- a local ``flock`` on a file under the data directory: exact between processes on one machine;
- a lease in the collection's metadata (owner, host, pid, heartbeat): seen by ingestions on other machines
  that share a Chroma server. A lease whose process is gone (same host) or whose heartbeat is older than
  ``LEASE_SECONDS`` is stale and taken over.

A writer that finds them held may wait for them (:func:`ingest_lock`'s ``wait``), looking again every
``WAIT_STEP`` seconds: the bot's feed rounds and channel posts, and ``newsbot ingest --wait``, queue
behind each other's runs (most last seconds) instead of failing; a stop request ends the wait at once.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

from retrieval.errors import IngestLocked, StoreFull
from retrieval.settings import make_private_dir
from retrieval.store.chunks import ChunkStore

log = logging.getLogger(__name__)

LEASE_SECONDS = 120
WAIT_STEP = 1.0
"""Seconds between two looks at the locks by a writer waiting for them (each look is one read of the
collection's metadata)."""
_BEAT_EVERY = 10.0
_FIELDS = ("owner", "host", "pid", "beat")
_ENDED_HERE: set[str] = set()
"""Owners of leases taken by runs of this process that have ended without releasing them (the store
refused the release: its server down, its disk full). Such a lease is no one's: this process's next run
takes it over at once instead of waiting :data:`LEASE_SECONDS` for it to go stale; other processes still
wait, as they cannot tell it from a live run."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LeaseSite(Protocol):
    """Where a lease is kept: a collection's metadata (:class:`ChunkStore`'s for ingestion,
    :class:`retrieval.store.collections.CollectionMetadata` for the others)."""

    name: str

    def metadata(self) -> dict[str, Any]: ...

    def update_metadata(self, **values: Any) -> None: ...


class Lease:
    """A collection-metadata lease for one ``purpose`` (``ingest``, on the chunk collection; ``feeds`` for
    the feed poller and ``alerts`` for the follows' sender, each on its own collection): taken by one
    process at a time; :meth:`beat` keeps it fresh."""

    def __init__(self, store: LeaseSite, purpose: str = "ingest") -> None:
        self.store = store
        self.purpose = purpose
        prefix = "newsbot_lock_" if purpose == "ingest" else f"newsbot_{purpose}_lock_"
        self._owner, self._host, self._pid, self._beat = (prefix + f for f in _FIELDS)
        self.owner = uuid.uuid4().hex
        self.host = socket.gethostname()
        self._last_beat = 0.0

    def holder(self) -> str | None:
        """Who holds a live lease, as words for a message; None when free, stale or ours."""
        meta = self.store.metadata()
        owner = meta.get(self._owner)
        if not owner or owner == self.owner or owner in _ENDED_HERE:
            return None
        host, pid = str(meta.get(self._host, "")), int(meta.get(self._pid, 0))
        beat = float(meta.get(self._beat, 0))
        if time.time() - beat > LEASE_SECONDS:
            return None
        if host == self.host and not _pid_alive(pid):
            return None
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(beat))
        return f"process {pid} on {host} (last seen {since})"

    def take(self) -> None:
        holder = self.holder()
        if holder:
            what = "ingestion into" if self.purpose == "ingest" else f"{self.purpose} process on"
            raise IngestLocked(
                f"another {what} collection {self.store.name!r} is running: {holder}. Wait for it "
                f"to finish (a lease left by a killed run on another machine expires after "
                f"{LEASE_SECONDS} s)."
            )
        self.beat(force=True)

    def try_take(self) -> bool:
        """Take the lease (or keep it fresh) unless another live process holds it; whether we hold it."""
        if self.holder():
            return False
        self.beat(force=True)
        return True

    def beat(self, force: bool = False) -> None:
        now = time.time()
        if force or now - self._last_beat >= _BEAT_EVERY:
            self.store.update_metadata(
                **{self._owner: self.owner, self._host: self.host, self._pid: os.getpid(), self._beat: now}
            )
            self._last_beat = now

    def release(self) -> None:
        meta = self.store.metadata()
        if meta.get(self._owner) == self.owner:
            self.store.update_metadata(**{self._owner: "", self._beat: 0.0})


def _lock_file(lock_dir: Path, store: ChunkStore) -> Path:
    key = hashlib.sha256(f"{store.location}\0{store.name}".encode()).hexdigest()[:16]
    return lock_dir / f"ingest-{store.name}-{key}.lock"


@contextmanager
def local_lock(lock_dir: Path, store: ChunkStore) -> Iterator[None]:
    """An exclusive ``flock`` on the collection's lock file, which names its holder while held.

    The file itself stays (as with ``flock(1)`` or py-filelock): unlinking a lock file races with a
    process that opened it and waits. It is emptied before the lock is released, so it never names a
    run that has ended; after a crash the OS drops the lock and the next run takes it over.
    """
    make_private_dir(lock_dir)
    path = _lock_file(lock_dir, store)
    handle: IO[str] = path.open("a+")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            who = handle.read().strip() or "another process"
            raise IngestLocked(
                f"another ingestion into collection {store.name!r} is running ({who}); wait for it to finish"
            ) from None
        try:
            try:
                _write_holder(handle, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
            except OSError as exc:
                if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                    raise
                raise StoreFull(
                    f"the disk holding {path} is full ({exc.strerror}): free some space there, then try again"
                ) from exc
            yield
        finally:
            with contextlib.suppress(OSError):
                _write_holder(handle, "")  # still under the lock: no holder is ever erased but ours
    finally:
        handle.close()  # closing releases the flock


def _write_holder(handle: IO[str], text: str) -> None:
    """Write straight to the file, past the handle's buffer: a write the disk refused must not stay
    buffered, or closing the handle would try it again and fail in its turn."""
    handle.seek(0)
    handle.truncate()
    _write(handle.fileno(), text.encode())


def _write(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data) :]


@contextmanager
def ingest_lock(
    lock_dir: Path,
    store: ChunkStore,
    prepare: Callable[[], None] | None = None,
    *,
    wait: float = 0.0,
    stop: threading.Event | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[Lease]:
    """Hold both locks for the duration of an ingestion; raises :class:`IngestLocked` if taken.

    Taken by another run, they are waited for, at most ``wait`` seconds (0: not at all), looking again
    every :data:`WAIT_STEP` seconds; ``on_wait`` is told who holds them when the wait begins. ``stop``
    ends the wait at once (then :class:`IngestLocked` too, with ``stop`` set).

    ``prepare`` runs once the local lock is held and no live lease was found, before the lease is taken:
    it is where the collection is created or dropped (the lease lives in the collection's metadata).
    """
    deadline = time.monotonic() + wait
    pause = stop or threading.Event()
    waiting = False
    while True:
        with contextlib.ExitStack() as held:
            try:
                lease = held.enter_context(_both_locks(lock_dir, store, prepare))
            except IngestLocked as exc:
                left = deadline - time.monotonic()
                if pause.is_set():
                    raise
                if left <= 0:
                    raise IngestLocked(_gave_up(str(exc), wait)) from None
                if not waiting:
                    waiting = True
                    log.info("waiting up to %.0f s: %s", left, exc)
                    if on_wait is not None:
                        on_wait(str(exc))
                if pause.wait(min(WAIT_STEP, left)):  # stopped while waiting: not tried again
                    raise
                continue
            yield lease
            return


def _gave_up(message: str, wait: float) -> str:
    if wait <= 0:
        return message
    return f"{message}{' ' if message.endswith('.') else '. '}Gave up after waiting {wait:g} s."


@contextmanager
def _both_locks(lock_dir: Path, store: ChunkStore, prepare: Callable[[], None] | None) -> Iterator[Lease]:
    with local_lock(lock_dir, store):
        lease = Lease(store)
        try:
            if store.exists():
                lease.take()
            if prepare is not None:
                prepare()
            lease.take()
            yield lease
        finally:
            # the lease expires by itself; never hide the run's own outcome behind a release failure
            try:
                lease.release()
            except Exception:
                _ENDED_HERE.add(lease.owner)
