"""Which articles the store holds, read by the soak's own Chroma client in a thread of its own.

The client (Chroma's HTTP client, as newsbot uses it) has no timeout: a server that stops answering holds
a read for good. So the reads run in a daemon thread, never in the event loop's executor, and the final
count is a fresh read with a deadline, falling back on what the reads saw before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from bot.wiring import open_store
from retrieval.settings import load_settings

READ_EVERY = 5.0


def read_ids(url: str, collection: str, data_dir: Path) -> set[str]:
    """The ids of every article the store holds (blocking, a client of its own)."""
    store = open_store(load_settings(chroma_url=url, collection=collection, data_dir=data_dir))
    return set(store.articles())


class StoreWatch:
    """Reads the store every :data:`READ_EVERY` seconds and notes when each article was first seen."""

    def __init__(self, url: str, collection: str, data_dir: Path, now: Callable[[], float]) -> None:
        self.where = (url, collection, data_dir)
        self.now = now
        self.first_seen: dict[str, float] = {}
        self.failed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="store-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            ids = self.read_within(6 * READ_EVERY)
            if ids is None:
                self.failed += 1
            else:
                now = self.now()
                for aid in ids:
                    self.first_seen.setdefault(aid, now)
            self._stop.wait(READ_EVERY)

    def read_within(self, timeout: float) -> set[str] | None:
        """A read in a thread of its own (left behind if the server holds it), or None: failed or late."""
        found: list[set[str]] = []

        def read() -> None:
            try:
                found.append(read_ids(*self.where))
            except Exception:
                return

        reader = threading.Thread(target=read, name="store-read", daemon=True)
        reader.start()
        reader.join(timeout)
        return found[0] if found else None

    def final(self, timeout: float = 60.0) -> tuple[set[str], bool]:
        """The ids the store holds now, and whether they were read now (else: every id seen so far)."""
        ids = self.read_within(timeout)
        return (ids, True) if ids is not None else (set(self.first_seen), False)
