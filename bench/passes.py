"""A question's model passes with the bundled model, in the situations a serving process meets.

    python bench/passes.py [-n 60] [--questions FILE]

1. The dense pass alone (the reference), and asked from another thread: through
   :class:`~retrieval.embeddings.ModelGate` every call runs on the gate's own thread.
2. The sparse pass alone on every core, beside a busy core (a thread doing Python work, as a search's
   store reads do) on every core, and as :meth:`E5Embeddings.sparse_query` makes it: on every core but
   one.
3. Last, the dense pass called straight on the engine once another live thread has called it too:
   OpenMP then keeps two teams of worker threads and libgomp stops spin-waiting between steps (the gate
   spares newsbot this; it slows every later call of the process, so it comes last).

Prints the p50 and p95 of each in ms and the p50 against the dense pass alone, measured in this run.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.serving import sample_questions  # noqa: E402
from retrieval.embeddings import E5Embeddings  # noqa: E402
from retrieval.evaluation import percentile  # noqa: E402


def timed(call: Callable[[str], object], questions: list[str]) -> list[float]:
    out = []
    for q in questions:
        t0 = time.perf_counter()
        call(q)
        out.append((time.perf_counter() - t0) * 1000)
    return out


@contextmanager
def busy_core() -> Iterator[None]:
    """A thread doing Python work (holding one core) while inside."""
    stop = threading.Event()

    def spin() -> None:
        n = 0
        while not stop.is_set():
            n = (n * 31 + 7) % 1000003

    worker = threading.Thread(target=spin, daemon=True)
    worker.start()
    try:
        yield
    finally:
        stop.set()
        worker.join()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-n", type=int, default=60)
    parser.add_argument(
        "--questions", type=Path, default=REPO.parent / "shared" / "eval" / "dev" / "questions.jsonl"
    )
    args = parser.parse_args()
    questions = sample_questions(args.questions, args.n)
    emb = E5Embeddings()
    engine = emb._model  # the engine itself, to show what the gate spares
    gate = emb._gate

    def sparse_every_core(q: str) -> object:
        return gate.run(engine.sparse, q, emb.SPARSE_TOP_K, "indices")

    rows: list[tuple[str, list[float]]] = []
    timed(emb.embed_question, questions[:5])  # warm
    rows.append(("dense pass alone", timed(emb.embed_question, questions)))
    with ThreadPoolExecutor(1) as other:  # asked from other threads: the gate's thread runs it
        ask = lambda q: other.submit(emb.embed_question, q).result()  # noqa: E731
        rows.append(("dense, asked from another thread (gate)", timed(ask, questions)))
    rows.append(("sparse pass alone, every core", timed(sparse_every_core, questions)))
    with busy_core():
        rows.append(("sparse beside a busy core, every core", timed(sparse_every_core, questions)))
        label = f"sparse beside a busy core, {emb._beside_reads} of {os.cpu_count()} cores"
        rows.append((label, timed(emb.sparse_query, questions)))
    # last, since it slows every later call of the process: the engine called from two threads
    with ThreadPoolExecutor(1) as other:
        other.submit(engine.query, questions[0]).result()
        rows.append(("dense, engine called from two threads", timed(engine.query, questions)))
    ref = percentile(rows[0][1], 50)
    print(f"{'':<44}{'p50 ms':>9}{'p95 ms':>9}{'p50/ref':>9}")
    for label, ms in rows:
        p50, p95 = percentile(ms, 50), percentile(ms, 95)
        print(f"{label:<44}{p50:9.1f}{p95:9.1f}{p50 / ref:9.2f}")
    print(f"({len(questions)} questions; ref: the dense pass alone)")


if __name__ == "__main__":
    main()
