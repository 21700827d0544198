"""The processes ``bench/query.py`` starts: ``chroma run`` servers and the serving process
(``bench/serving.py``), which reports its figures on stdout."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.querying.synthetic import FRESH_ID, FRESH_QUESTION
from bench.serving import MARK
from tests.support.chroma_server import ChromaServer

SERVING = Path(__file__).resolve().parents[1] / "serving.py"


@contextlib.contextmanager
def chroma_server(path: Path, log_dir: Path) -> Iterator[ChromaServer]:
    """A ``chroma run`` on ``path`` (its log in ``log_dir``), stopped on the way out."""
    server = ChromaServer(path)
    server.log = log_dir / f"chroma-{server.port}.log"
    server.start(timeout=600)
    try:
        yield server
    finally:
        server.stop()


def server_memory_mb(server: ChromaServer) -> tuple[float | None, float | None]:
    """The server's resident memory now and its peak (VmRSS, VmHWM), with any child processes."""
    if server.proc is None:
        return None, None
    pids, rss, hwm = [server.proc.pid], 0, 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                pids += [int(p) for p in (task / "children").read_text().split()]
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    kb = int(value.split()[0])
                    rss, hwm = (rss + kb, hwm) if key == "VmRSS" else (rss, hwm + kb)
    return round(rss / 1024, 1), round(hwm / 1024, 1)


def run_serving(
    env: dict[str, str], args: argparse.Namespace, n: int, fresh: Callable[[], float] | None = None
) -> dict[str, Any]:
    """Start ``bench/serving.py`` with these settings, and return its figures. With ``fresh`` (which
    writes the new article and returns when the write ended), also ``fresh_s``."""
    command = [sys.executable, str(SERVING), "--questions", str(args.questions), "-n", str(n)]
    command += ["--profile"] if args.profile else []
    if fresh is not None:
        command += ["--fresh-id", FRESH_ID, "--fresh-question", FRESH_QUESTION]
    command += ["--spawned", repr(time.time())]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, **env})
    figures: dict[str, Any] = {}
    written = 0.0
    assert proc.stdout is not None
    for line in proc.stdout:
        if not line.startswith(MARK):
            sys.stderr.write(line)
            continue
        message = json.loads(line[len(MARK) :])
        kind = message.pop("kind")
        if kind == "polling" and fresh is not None:
            written = fresh()
        elif kind == "fresh":
            found = message.pop("found_at")
            message["fresh_s"] = round(found - written, 3) if found is not None else None
        figures.update(message)
    if proc.wait() != 0:
        sys.exit(f"the serving process failed (exit {proc.returncode}); its error is above")
    return figures
