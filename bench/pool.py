"""Retrieval quality against the candidate pool: how many chunks to ask the store for per question.

    NEWSBOT_DATA_DIR=<dev store> python bench/pool.py [--questions ../shared/eval/dev/questions.jsonl]
        [--dense 25,50,100] [--keys 0,20] [--per-group 200]

For each (dense pool, name pool) pair, the answerable questions of each group are searched (a fixed
sample of ``--per-group`` each) and hit@1, evidence@5 and the search p50 are printed: the pool is sized
where quality stops growing. ``--names 0`` also switches off the name weight, to see what the name index
adds.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.wiring import load_embeddings, open_store  # noqa: E402
from retrieval.evaluation import Question, load_questions, normalise, percentile, same_article  # noqa: E402
from retrieval.search.searcher import SearchConfig, Searcher  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402


def sample(questions: list[Question], per_group: int) -> dict[str, list[Question]]:
    groups: dict[str, list[Question]] = {}
    for q in questions:
        if q.answerable and q.article_id:
            groups.setdefault(q.group, []).append(q)
    rng = random.Random(0)
    return {g: rng.sample(qs, min(per_group, len(qs))) for g, qs in sorted(groups.items())}


def score(searcher: Searcher, questions: list[Question]) -> tuple[float, float, float]:
    hits = evidence = with_evidence = 0
    ms = []
    for q in questions:
        t0 = time.perf_counter()
        passages = searcher.search(q.question, 5).passages
        ms.append((time.perf_counter() - t0) * 1000)
        hits += bool(passages) and same_article(passages[0].article_id, q.article_id or "")
        if q.evidence:
            with_evidence += 1
            target = normalise(q.evidence)
            evidence += any(target in normalise(p.chunk.text) for p in passages)
    return hits / len(questions), evidence / max(with_evidence, 1), percentile(ms, 50)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--questions", type=Path, default=REPO.parent / "shared" / "eval" / "dev" / "questions.jsonl"
    )
    parser.add_argument("--dense", default="25,50,100")
    parser.add_argument("--keys", default="0,20")
    parser.add_argument("--names", type=float, default=None, help="name weight (default: the configured)")
    parser.add_argument("--per-group", type=int, default=200)
    args = parser.parse_args()
    settings = load_settings()
    store, embeddings = open_store(settings), load_embeddings(settings)
    groups = sample(load_questions(args.questions), args.per_group)
    print(f"{'dense':>5} {'keys':>4}  " + "  ".join(f"{g:>26}" for g in groups))
    for dense in (int(x) for x in args.dense.split(",")):
        for keys in (int(x) for x in args.keys.split(",")):
            config = replace(SearchConfig(), dense_pool=dense, key_pool=keys)
            if args.names is not None:
                config = replace(config, name_weight=args.names)
            searcher = Searcher(store, embeddings, config=config)
            searcher.search("warm up")
            cells = []
            for qs in groups.values():
                hit1, ev5, p50 = score(searcher, qs)
                cells.append(f"h1 {hit1:.3f} ev {ev5:.3f} {p50:5.0f}ms")
            print(f"{dense:>5} {keys:>4}  " + "  ".join(f"{c:>26}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
