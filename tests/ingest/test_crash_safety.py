"""kill -9 at any point of an ingestion: nothing half-written is visible, and a rerun completes the work.

The child (:mod:`tests.support.ingest_child`) stops at an exact point (after so many batches and so many
of Chroma's row writes into the next one) and is killed there, so each case lands where it says on any
machine: between batches, and between the writes inside one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.store.chunks import ChunkStore
from tests.conftest import REPO
from tests.support.generate import Archive, write_archive
from tests.support.records import chunk_records

BATCH = 8  # chunks a batch: a few articles each, many batches a run


@pytest.fixture(scope="module")
def crash_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return write_archive(tmp_path_factory.mktemp("crash") / "archive", 120, seed=2)


def start_child(
    store_dir: Path, lock_dir: Path, archive: Archive, pause_after: str | None = None
) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    pause = ["--pause-after", pause_after] if pause_after else []
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.ingest_child",
            str(store_dir),
            str(lock_dir),
            str(BATCH),
            *pause,
            str(archive.root),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def run_child(store_dir: Path, lock_dir: Path, archive: Archive) -> str:
    proc = start_child(store_dir, lock_dir, archive)
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out
    return out


def snapshot(store_dir: Path) -> tuple[dict[str, object], dict[str, tuple[str, object]], int]:
    store = ChunkStore.open(None, store_dir, "news")
    chunks = {
        cid: (c.text, (c.article_id, c.index, c.start, c.end, c.title, c.date, c.url, c.source))
        for cid, c in store.visible_chunks()
    }
    return dict(store.articles()), chunks, chunk_records(store)


def assert_consistent(store_dir: Path) -> None:
    """Every article the manifest names shows exactly its chunks 0..n-1, once; nothing else shows."""
    store = ChunkStore.open(None, store_dir, "news")
    infos = store.articles()
    seen: dict[str, list[int]] = {}
    for _cid, chunk in store.visible_chunks():
        seen.setdefault(chunk.article_id, []).append(chunk.index)
    assert {k: sorted(v) for k, v in seen.items()} == {a: list(range(i.chunks)) for a, i in infos.items()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, crash_archive: Archive) -> tuple[object, ...]:
    base = tmp_path_factory.mktemp("reference")
    out = run_child(base / "store", base / "locks", crash_archive)
    assert out.splitlines()[-1] == f"done {len(crash_archive.articles)} 0 0"
    assert sum(line.startswith("progress") for line in out.splitlines()) > 12  # later than every kill
    return snapshot(base / "store")


# LINES+WRITES: killed after LINES progress lines (the first comes before any batch) and WRITES of
# Chroma's row writes into the next batch; +0 is between two batches.
@pytest.mark.parametrize("pause_after", ["2+0", "2+1", "3+2", "5+3", "8+4", "12+5"])
def test_kill_9_then_rerun_equals_uninterrupted_run(
    tmp_path: Path, crash_archive: Archive, reference: tuple[object, ...], pause_after: str
) -> None:
    total = len(crash_archive.articles)
    store_dir, lock_dir = tmp_path / "store", tmp_path / "locks"
    proc = start_child(store_dir, lock_dir, crash_archive, pause_after)
    assert proc.stdout is not None
    for line in proc.stdout:  # the child waits, paused, until it is killed
        if line.strip() == "paused":
            break
    else:
        pytest.fail(f"the child ended without reaching its pause point {pause_after}")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    assert_consistent(store_dir)
    partial = ChunkStore.open(None, store_dir, "news").articles()
    assert 0 < len(partial) < total

    out = run_child(store_dir, lock_dir, crash_archive)  # the killed run's lease does not block this
    added, updated, unchanged = map(int, out.splitlines()[-1].split()[1:])
    assert added + updated + unchanged == total
    assert unchanged >= len(partial) - 1
    assert snapshot(store_dir) == reference
