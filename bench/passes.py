"""A question's two model passes (dense and sparse), one after the other and side by side, in one run.

    python bench/passes.py [--questions ../shared/eval/dev/questions.jsonl] [-n 120]

The bundled engine spreads each call over every core (OpenMP); a question is a dozen tokens, too little
to share out. For each question, in turn (so that a busy spell of the machine weighs on all alike):
the dense pass alone with every core and with one, the sparse pass alone, both one after the other
(how search ran them before), and both side by side (how ``E5Embeddings`` runs a question's calls: one
core each). Prints p50/p95 in ms and each as a ratio to the dense pass alone with every core.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.serving import sample_questions  # noqa: E402
from retrieval.embeddings import E5Embeddings  # noqa: E402
from retrieval.evaluation import percentile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=Path, default=REPO.parent / "shared/eval/dev/questions.jsonl")
    parser.add_argument("-n", type=int, default=120)
    args = parser.parse_args()
    questions = sample_questions(args.questions, args.n)
    e5 = E5Embeddings()
    other = ThreadPoolExecutor(1)

    def every_core(call: Callable[[str], object]) -> Callable[[str], object]:
        def run(q: str) -> object:  # a passage-sized turn: ingestion's calls keep every core
            with e5.in_background():
                return call(q)

        return run

    def side_by_side(q: str) -> None:
        sparse = other.submit(e5.sparse_query, q)
        e5.embed_question(q)
        sparse.result()

    variants: dict[str, Callable[[str], object]] = {
        "dense, every core": every_core(e5.embed_question),
        "dense, one core": e5.embed_question,
        "sparse, every core": every_core(e5.sparse_query),
        "dense then sparse, every core": every_core(lambda q: (e5.embed_question(q), e5.sparse_query(q))),
        "side by side, one core each": side_by_side,
    }
    for q in questions[:5]:
        side_by_side(q)
    runs: dict[str, list[float]] = {name: [] for name in variants}
    for q in questions:
        for name, call in variants.items():
            start = time.perf_counter()
            call(q)
            runs[name].append((time.perf_counter() - start) * 1000)
    reference = percentile(runs["dense, every core"], 50)
    print(f"{len(questions)} questions, {os.cpu_count()} cores")
    print(f"{'':32s} {'p50 ms':>8s} {'p95 ms':>8s} {'p50/dense':>10s}")
    for name, times in runs.items():
        p50, p95 = percentile(times, 50), percentile(times, 95)
        print(f"{name:32s} {p50:8.1f} {p95:8.1f} {p50 / reference:10.2f}")


if __name__ == "__main__":
    main()
