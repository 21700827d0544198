"""kill -9 at any point of an ingestion: nothing half-written is visible, and a rerun completes the work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from retrieval.store.chunks import ChunkStore
from tests.conftest import DEV_ARCHIVE, REPO

ARCHIVE = [DEV_ARCHIVE / "wmt-news.jsonl", DEV_ARCHIVE / "ods-news.jsonl"]


def start_child(store_dir: Path, lock_dir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.ingest_child",
            str(store_dir),
            str(lock_dir),
            "8",
            *map(str, ARCHIVE),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )


def run_child(store_dir: Path, lock_dir: Path) -> str:
    proc = start_child(store_dir, lock_dir)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    return out


def snapshot(store_dir: Path) -> tuple[dict[str, object], dict[str, tuple[str, object]], int]:
    store = ChunkStore.open(None, store_dir, "news")
    chunks = {
        cid: (c.text, (c.article_id, c.index, c.start, c.end, c.title, c.date, c.url, c.source))
        for cid, c in store.visible_chunks()
    }
    return dict(store.articles()), chunks, store.count_chunks()


def assert_consistent(store_dir: Path) -> None:
    """Every article the manifest names shows exactly its chunks 0..n-1, once; nothing else shows."""
    store = ChunkStore.open(None, store_dir, "news")
    infos = store.articles()
    seen: dict[str, list[int]] = {}
    for _cid, chunk in store.visible_chunks():
        seen.setdefault(chunk.article_id, []).append(chunk.index)
    assert {k: sorted(v) for k, v in seen.items()} == {a: list(range(i.chunks)) for a, i in infos.items()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, ...]:
    base = tmp_path_factory.mktemp("reference")
    out = run_child(base / "store", base / "locks")
    assert out.splitlines()[-1] == "done 179 0 0"
    return snapshot(base / "store")


@pytest.mark.parametrize("kill_after_batches,extra_delay", [(1, 0.0), (3, 0.05), (6, 0.13), (10, 0.21)])
def test_kill_9_then_rerun_equals_uninterrupted_run(
    tmp_path: Path, reference: tuple[object, ...], kill_after_batches: int, extra_delay: float
) -> None:
    store_dir, lock_dir = tmp_path / "store", tmp_path / "locks"
    proc = start_child(store_dir, lock_dir)
    assert proc.stdout is not None
    batches = 0
    for line in proc.stdout:
        if line.startswith("progress"):
            batches += 1
            if batches > kill_after_batches:
                break
    time.sleep(extra_delay)  # land inside the next batch's embedding or writes
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the child finished before it could be killed"

    assert_consistent(store_dir)
    partial = ChunkStore.open(None, store_dir, "news").articles()
    assert 0 < len(partial) < 179

    out = run_child(store_dir, lock_dir)  # a lease left by the killed process does not block this run
    added, updated, unchanged = map(int, out.splitlines()[-1].split()[1:])
    assert added + updated + unchanged == 179
    assert unchanged >= len(partial) - 1
    assert snapshot(store_dir) == reference
