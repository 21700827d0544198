"""Run one ingestion in a child process, printing a line per batch (for kill -9 tests).

python -m tests.support.ingest_child STORE_DIR LOCK_DIR BATCH [--pause-after LINES[+WRITES]] PATH...

Prints ``progress DONE TOTAL`` after each batch (and once before the first), then
``done ADDED UPDATED UNCHANGED``. With ``--pause-after LINES+WRITES`` the child stops for good once it
has printed LINES progress lines and then completed WRITES more writes of rows to Chroma (adds, upserts,
updates, deletes), prints ``paused``, and waits to be killed: a kill -9 lands at that exact point of the
run, whatever the machine's speed. The writes are counted at Chroma's own collection API, so the point
needs no knowledge of how the store orders its writes.
"""

from __future__ import annotations

import argparse
import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chromadb.api.models.Collection import Collection

from ingest.pipeline import Ingestion, Progress
from retrieval.store.chunks import ChunkStore
from tests.support.hashing import HashingEmbeddings

_ROW_WRITES = ("add", "upsert", "update", "delete")


class PausePoint:
    """Stops the process for good at the given point and says so on stdout."""

    def __init__(self, lines: int, writes: int) -> None:
        self.lines_left, self.writes_left = lines, writes

    def after_progress_line(self) -> None:
        self.lines_left -= 1
        if self.lines_left == 0 and self.writes_left == 0:
            self.pause()

    def after_write(self) -> None:
        if self.lines_left <= 0:
            self.writes_left -= 1
            if self.writes_left == 0:
                self.pause()

    @staticmethod
    def pause() -> None:
        print("paused", flush=True)
        threading.Event().wait()  # until the parent's kill -9

    def count_chroma_writes(self) -> None:
        for name in _ROW_WRITES:
            setattr(Collection, name, self._counted(getattr(Collection, name)))

    def _counted(self, write: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(write)
        def counted(*args: Any, **kwargs: Any) -> Any:
            result = write(*args, **kwargs)
            self.after_write()
            return result

        return counted


def parse_pause(value: str) -> PausePoint:
    lines, _, writes = value.partition("+")
    return PausePoint(int(lines), int(writes or 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store_dir")
    parser.add_argument("lock_dir", type=Path)
    parser.add_argument("batch", type=int)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--pause-after", type=parse_pause, metavar="LINES[+WRITES]")
    args = parser.parse_args()
    pause: PausePoint | None = args.pause_after
    if pause is not None:
        pause.count_chroma_writes()

    def progress(p: Progress) -> None:
        print(f"progress {p.chunks_done} {p.chunks_total}", flush=True)
        if pause is not None:
            pause.after_progress_line()

    store = ChunkStore.open(None, args.store_dir, "news")
    report = Ingestion(
        store, HashingEmbeddings(), lock_dir=args.lock_dir, batch_size=args.batch, progress=progress
    ).run(args.paths)
    print(f"done {report.added} {report.updated} {report.unchanged}", flush=True)


if __name__ == "__main__":
    main()
