"""Ctrl-C during ``newsbot ingest``: the run stops within seconds, says it was cancelled, exits with 1,
and leaves whole articles only; running the same command again ingests the rest.

The model (the bundled one, a C engine) runs in the main thread, where Python handles a signal only
between two of its calls: the child is sent SIGINT once its progress bar shows, as a person at a terminal
would, and must be gone within a bounded wait.
"""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

from retrieval.store.chunks import ChunkStore
from tests.support.generate import write_archive

EXIT_WAIT = 120  # seconds; an interrupted run must stop within one model call, not the whole archive


class Terminal:
    """A pseudo-terminal of 24 x 100 characters for the child's stderr (so that it draws its progress
    bar), read in the background so that the child never blocks writing to it."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        self.text = ""
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:  # the child closed its end
                return
            if not data:
                return
            with self._changed:
                self.text += data.decode("utf-8", errors="replace")
                self._changed.notify_all()

    def wait_for(self, needle: str, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: needle in self.text, timeout=timeout)

    def close(self) -> None:
        os.close(self.slave)
        self._reader.join(timeout=5)
        os.close(self.master)


def ingest(root: Path, stderr: int) -> subprocess.Popen[str]:
    """``newsbot ingest ROOT`` as a person runs it (settings from the environment, a data dir of the test)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "ingest", str(root)],
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env=dict(os.environ),
    )


def visible_by_article(store: ChunkStore) -> dict[str, list[int]]:
    seen: dict[str, list[int]] = {}
    for _cid, chunk in store.visible_chunks():
        seen.setdefault(chunk.article_id, []).append(chunk.index)
    return {k: sorted(v) for k, v in seen.items()}


def test_ctrl_c_cancels_within_a_bounded_wait_and_a_rerun_completes(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "archive", 20, seed=3)
    total = len(archive.articles)
    terminal = Terminal()
    try:
        child = ingest(archive.root, stderr=terminal.slave)
        try:
            assert terminal.wait_for("Embedding", timeout=EXIT_WAIT), terminal.text
            child.send_signal(signal.SIGINT)
            out, _ = child.communicate(timeout=EXIT_WAIT)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    finally:
        terminal.close()
    shown = terminal.text
    assert child.returncode == 1, (out, shown)
    assert out.startswith("Ingestion cancelled: "), out
    assert "Stopping after the current step (Ctrl-C again to stop at once)" in shown
    assert "newsbot: cancelled: what was written is whole articles; run the same command again" in shown
    assert "Traceback" not in shown

    store = ChunkStore.open(None, tmp_path / "data" / "chroma", "news")
    written = store.articles()
    added = int(out.removeprefix("Ingestion cancelled: ").split(" added")[0])
    assert added == len(written) < total
    assert visible_by_article(store) == {aid: list(range(i.chunks)) for aid, i in written.items()}

    rerun = ingest(archive.root, stderr=subprocess.PIPE)
    out, err = rerun.communicate(timeout=900)
    assert rerun.returncode == 0, err
    assert out.startswith(
        f"Ingestion finished: {total - added} added, 0 updated, {added} unchanged, 0 pruned, 0 skipped"
    ), out
    store = ChunkStore.open(None, tmp_path / "data" / "chroma", "news")
    done = store.articles()
    assert set(done) == archive.ids
    assert visible_by_article(store) == {aid: list(range(i.chunks)) for aid, i in done.items()}
