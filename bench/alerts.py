"""What an alert round costs: CPU seconds for F follows x A new articles, matched all at once.

    python bench/alerts.py [../shared/eval/dev/questions.jsonl] [--follows 100 1021] [--articles 1 5 12]

Ingests ``sample/`` (12 articles) into a temporary store as the round's new articles, and lets the dev
set's questions stand for follows (real lengths, Russian and English; with no questions file, words drawn
from the sample's titles). Each follow's query vector is made first, as ``/follow`` makes it (the CPU it
took is printed per follow: what a round pays once for a follow stored without one). Then, for each
number of follows and of new articles, the CPU seconds (every thread of the process) of a round, the least
of :data:`ROUNDS`; then the
old way for comparison, a search per follow over the batch (``Searcher.search(..., within=...)``, as
rounds matched before), on a few follows, scaled to all.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.pipeline import Ingestion  # noqa: E402
from retrieval.embeddings import make_embeddings  # noqa: E402
from retrieval.follows.matching import FollowMatcher, match_follows, matches  # noqa: E402
from retrieval.follows.store import Follow  # noqa: E402
from retrieval.records import ArticleInfo  # noqa: E402
from retrieval.search.searcher import Searcher  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402
from retrieval.store.chunks import ChunkStore  # noqa: E402

OLD_WAY_FOLLOWS = 40
ROUNDS = 3
"""Rounds timed per case; the least CPU is printed (the others carry what other threads did meanwhile)."""
T = TypeVar("T")


def follow_words(questions: Path | None, n: int, titles: list[str]) -> list[str]:
    if questions is not None and questions.is_file():
        lines = questions.read_text(encoding="utf-8").splitlines()
        words = [json.loads(line)["question"] for line in lines if line.strip()]
    else:
        words = [" ".join(t.split()[i : i + 2]) for t in titles for i in range(0, len(t.split()), 2)]
    return [words[i % len(words)] + ("" if i < len(words) else f" {i}") for i in range(n)]


def cpu(work: Callable[[], T]) -> tuple[float, T]:
    """CPU seconds of every thread of the process while ``work`` ran, and what it gave."""
    start = time.process_time()
    got = work()
    return time.process_time() - start, got


def old_way(searcher: Searcher, follows: list[Follow], new: list[ArticleInfo]) -> None:
    """A round as it was: a search per follow, restricted to the new articles (10 at a time)."""
    ids = [a.id for a in new]
    for f in follows:
        for i in range(0, len(ids), 10):
            part = ids[i : i + 10]
            k = len(part) * searcher.config.per_article
            for p in searcher.search(f.words, k, f.filters, within=part).passages:
                matches(f.words, p)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "questions", type=Path, nargs="?", default=REPO.parent / "shared/eval/dev/questions.jsonl"
    )
    parser.add_argument("--follows", type=int, nargs="+", default=[100, 1021])
    parser.add_argument("--articles", type=int, nargs="+", default=[1, 5, 12])
    args = parser.parse_args()

    settings = load_settings()
    embeddings = make_embeddings(settings.embedding)
    data = Path(tempfile.mkdtemp(prefix="newsbot-bench-alerts-"))
    store = ChunkStore.open(None, data / "chroma", "bench-alerts")
    Ingestion(store, embeddings, lock_dir=data / "locks").run([REPO / "sample"])
    new = store.ingested_after(0.0)
    chunks = sum(a.chunks for a in new)
    print(f"new articles: {len(new)} ({chunks} chunks); {os.cpu_count()} cores; {embeddings.model_id}")
    matcher = FollowMatcher(store, embeddings, max_chars=settings.max_question_chars)
    words = follow_words(args.questions, max(args.follows), [a.title for a in new])
    spent, vectors = cpu(lambda: [matcher.vector(matcher.words(Follow("", 0, w))) for w in words])
    print(f"a follow's query vector (made at /follow): {spent / len(words) * 1000:.0f} ms of CPU each")
    print(f"{'follows':>8} {'articles':>9} {'chunks':>7} {'round CPU s':>12}")
    for n in args.follows:
        follows = [
            Follow(f"f{i}", -100 - i % 50, w, created=0.0, vector=v, vector_model=matcher.model_id)
            for i, (w, v) in enumerate(zip(words[:n], vectors, strict=False))
        ]
        for a in args.articles:
            runs = [cpu(functools.partial(match_follows, matcher, follows, new[:a])) for _ in range(ROUNDS)]
            spent, alerts = min(runs, key=lambda run: run[0])
            c = sum(x.chunks for x in new[:a])
            print(f"{n:>8} {a:>9} {c:>7} {spent:12.3f}   {len(alerts)} alerts")
    searcher = Searcher(store, embeddings)
    few = follows[:OLD_WAY_FOLLOWS]
    for a in args.articles:
        spent, _ = cpu(functools.partial(old_way, searcher, few, new[:a]))
        per = spent / len(few)
        print(
            f"old way (a search per follow), {a} article(s): {per:.3f} s per follow, "
            f"{per * args.follows[-1]:.0f} s for {args.follows[-1]} follows"
        )


if __name__ == "__main__":
    main()
