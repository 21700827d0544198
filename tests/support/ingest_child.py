"""Run one ingestion in a child process, printing a line per batch (for kill -9 tests).

python -m tests.support.ingest_child STORE_DIR LOCK_DIR BATCH PATH...
"""

from __future__ import annotations

import sys
from pathlib import Path

from ingest.pipeline import Ingestion, Progress
from retrieval.store.chunks import ChunkStore
from tests.support.hashing import HashingEmbeddings


def main() -> None:
    store_dir, lock_dir, batch, *paths = sys.argv[1:]

    def progress(p: Progress) -> None:
        print(f"progress {p.chunks_done} {p.chunks_total}", flush=True)

    store = ChunkStore.open(None, store_dir, "news")
    report = Ingestion(
        store, HashingEmbeddings(), lock_dir=Path(lock_dir), batch_size=int(batch), progress=progress
    ).run(paths)
    print(f"done {report.added} {report.updated} {report.unchanged}", flush=True)


if __name__ == "__main__":
    main()
