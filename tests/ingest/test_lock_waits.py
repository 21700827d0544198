"""Writers queue behind each other instead of failing (docs/soak.md, fault 6): an ingestion that finds
the collection held by another waits for it, a bounded time, and then ingests; a stop request ends the
wait at once; ``newsbot ingest --wait 0`` refuses at once, as before."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingest.locking import Lease, local_lock
from ingest.pipeline import Ingestion, Progress
from retrieval.errors import IngestLocked
from retrieval.records import IngestReport
from retrieval.store.chunks import ChunkStore
from tests.conftest import REPO, SAMPLE
from tests.support.cli import one_line, run
from tests.support.hashing import HashingEmbeddings

HELD_HERE = re.escape(f"another ingestion into collection 'news' is running (pid {os.getpid()} since ")


def make_store(tmp_path: Path) -> ChunkStore:
    return ChunkStore.open(None, tmp_path / "chroma", "news")


def test_two_writers_at_once_the_second_waits_for_the_first_and_then_ingests(tmp_path: Path) -> None:
    locks, emb = tmp_path / "locks", HashingEmbeddings()
    archive = tmp_path / "more"
    archive.mkdir()
    (archive / "note.txt").write_text("Очередь\n\nВторой писатель ждёт первого и пишет после него.")
    second_waits = threading.Event()
    told: list[str] = []
    reports: dict[str, IngestReport] = {}

    def first_holds_on(p: Progress) -> None:  # the first run is under way until the second one waits
        if p.chunks_done == 0:
            assert second_waits.wait(60), "the second writer never waited"

    def first() -> None:
        reports["first"] = Ingestion(make_store(tmp_path), emb, lock_dir=locks, progress=first_holds_on).run(
            [SAMPLE]
        )

    def second() -> None:
        while not (locks.exists() and any(p.read_text() for p in locks.glob("*.lock"))):
            time.sleep(0.01)  # the first holds the collection
        waiting = Ingestion(
            make_store(tmp_path),
            emb,
            lock_dir=locks,
            wait=60,
            on_wait=lambda holder: (told.append(holder), second_waits.set()),
        )
        reports["second"] = waiting.run([archive])

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert reports["first"].added == 12 and reports["second"].added == 1
    assert len(told) == 1 and re.match(HELD_HERE, told[0])
    assert len(make_store(tmp_path).articles()) == 13


def test_a_writer_waits_for_a_lease_held_on_another_machine(chroma_server: str, tmp_path: Path) -> None:
    emb = HashingEmbeddings()
    store = ChunkStore.open(chroma_server, tmp_path, "wait-for-lease")
    store.ensure(emb.model_id, emb.dim)
    elsewhere = Lease(store)
    elsewhere.host = "another-machine"  # a live run on another host sharing the server
    elsewhere.take()
    told: list[str] = []

    def its_run_ends(holder: str) -> None:
        told.append(holder)
        elsewhere.release()

    report = Ingestion(store, emb, lock_dir=tmp_path / "locks", wait=60, on_wait=its_run_ends).run([SAMPLE])

    assert report.added == 12
    assert told[0].startswith(
        f"another ingestion into collection 'wait-for-lease' is running: process {os.getpid()} on "
        "another-machine (last seen "
    )


def test_a_wait_that_runs_out_gives_up_saying_how_long_it_waited(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    with local_lock(tmp_path / "locks", store):
        started = time.monotonic()
        with pytest.raises(IngestLocked) as raised:
            Ingestion(store, HashingEmbeddings(), lock_dir=tmp_path / "locks", wait=1.5).run([SAMPLE])
        waited = time.monotonic() - started

    assert re.fullmatch(
        HELD_HERE + r"[^)]*\); wait for it to finish\. Gave up after waiting 1\.5 s\.", str(raised.value)
    )
    assert waited >= 1.5
    assert not store.exists()  # nothing touched


def test_a_wait_is_cut_short_by_a_stop_request(tmp_path: Path) -> None:
    store, stop = make_store(tmp_path), threading.Event()
    with contextlib.ExitStack() as held:
        held.enter_context(local_lock(tmp_path / "locks", store))
        threading.Timer(0.5, stop.set).start()  # SIGTERM to the bot, Ctrl-C to newsbot ingest
        started = time.monotonic()
        report = Ingestion(
            store, HashingEmbeddings(), lock_dir=tmp_path / "locks", wait=600, cancel=stop
        ).run([SAMPLE])
        stopped_after = time.monotonic() - started

    assert report.cancelled and (report.added, report.chunks_written) == (0, 0)
    assert stopped_after < 10  # the bot promises to stop within 10 s, not after the 600 s wait
    assert not store.exists()


def test_newsbot_ingest_wait_0_refuses_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ChunkStore.open(None, tmp_path / "data" / "chroma", "news")
    with local_lock(tmp_path / "data" / "locks", store):
        code, out, err = run(["ingest", "--no-progress", "--wait", "0", str(SAMPLE)], capsys)

    assert (code, out) == (1, "")
    assert re.fullmatch("newsbot: error: " + HELD_HERE + r"[^)]*\); wait for it to finish", one_line(err))


HOLD = """
import sys
from pathlib import Path
from ingest.locking import local_lock
from retrieval.store.chunks import ChunkStore
store = ChunkStore.open(None, Path(sys.argv[1]) / "chroma", "news")
with local_lock(Path(sys.argv[1]) / "locks", store):
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_newsbot_ingest_waits_for_another_process_and_then_ingests(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSBOT_DATA_DIR": str(data)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        ingest = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "ingest", "--no-progress", "--wait", "120", str(SAMPLE)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        assert ingest.stderr is not None
        said = ""
        while "waiting up to" not in said:
            line = ingest.stderr.readline()
            assert line, f"newsbot ingest ended without waiting: {said}"
            said += line
        assert holder.stdin is not None
        holder.stdin.write("done\n")  # the other ingestion ends
        holder.stdin.flush()
        out, err = ingest.communicate(timeout=300)
    finally:
        holder.kill()
        holder.wait()

    assert ingest.returncode == 0, said + err
    assert re.search(
        rf"newsbot: waiting up to 120 s \(--wait\): another ingestion into collection 'news' is running "
        rf"\(pid {holder.pid} since [^)]*\); wait for it to finish",
        said,
    )
    assert "12 added" in out
