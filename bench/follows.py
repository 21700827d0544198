"""Calibrate the follows' match threshold: how often a follow is told of its article, and of others.

    python bench/follows.py ../shared/eval/dev [--per-kind 120] [--batch 10] [--data DIR]

Ingests the dev archive's JSON files (not the NEREL folder: the questions' articles are all in them) into
a store of its own (``--data``, a temporary folder by default; kept and reused when given), then lets
each dev question stand for a follow: its article arrives as a new article among ``--batch - 1`` others
drawn at random, and the follow is matched against that batch exactly as the alert job does (the search
restricted to the batch, :func:`retrieval.follows.matching.matches` on each article's passages). An
off-archive question's batch has no article of its own: every match there is a false alarm.

Prints, per threshold on the dense similarity, the share of questions whose article alerts (recall) and
the share of (follow, other article) pairs that alert (false alarms), per kind and language. The mention
rule (every keyword, name and number of the follow in the passage) does not depend on the threshold and
sets a floor of false alarms (printed apart); the value for ``FOLLOW_THRESHOLD`` is the lowest threshold
whose false alarms over all follows exceed that floor by at most ``--extra-alarms`` (0.15 points).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.pipeline import Ingestion  # noqa: E402
from retrieval.embeddings import make_embeddings  # noqa: E402
from retrieval.evaluation import load_questions  # noqa: E402
from retrieval.follows.matching import FOLLOW_THRESHOLD, matches  # noqa: E402
from retrieval.search.searcher import Searcher  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402
from retrieval.store.chunks import ChunkStore  # noqa: E402

GRID = [round(0.80 + 0.005 * i, 3) for i in range(25)]


@dataclass(frozen=True, slots=True)
class Seen:
    """One (follow, article) pair of a batch: whether it should alert, its best dense similarity among
    the article's passages (0: the search brought none), and whether a passage mentions every asked word."""

    group: str
    relevant: bool
    similarity: float
    mentioned: bool


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dev", type=Path, help="the dev set folder (archive/ and questions.jsonl)")
    parser.add_argument("--per-kind", type=int, default=120, help="questions per kind and language")
    parser.add_argument("--batch", type=int, default=10, help="new articles per round")
    parser.add_argument(
        "--extra-alarms",
        type=float,
        default=0.0015,
        help="false alarms the threshold may add to the mention rule's",
    )
    parser.add_argument("--data", type=Path, help="where the bench's store lives (default: a temp folder)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    data = args.data or Path(tempfile.mkdtemp(prefix="newsbot-bench-follows-"))
    embeddings = make_embeddings(load_settings().embedding)
    store = ChunkStore.open(None, data / "chroma", "bench-follows")
    report = Ingestion(store, embeddings, lock_dir=data / "locks").run(
        sorted((args.dev / "archive").glob("*.jsonl"))
    )
    print(f"store: {data} ({report.added} added, {report.unchanged} unchanged, {report.seconds:.0f} s)")
    searcher = Searcher(store, embeddings)
    ids = sorted(store.articles())

    rng = random.Random(args.seed)
    by_group = defaultdict(list)
    for q in load_questions(args.dev / "questions.jsonl"):
        if q.article_id is None or q.article_id in ids:
            by_group[q.group].append(q)
    seen: list[Seen] = []
    for group, questions in sorted(by_group.items()):
        for q in rng.sample(questions, min(args.per_kind, len(questions))):
            others = rng.sample(
                [a for a in ids if a != q.article_id], args.batch - (q.article_id is not None)
            )
            batch = others + ([q.article_id] if q.article_id else [])
            k = len(batch) * searcher.config.per_article
            passages = searcher.search(q.question, k, within=batch).passages
            for aid in batch:
                mine = [p for p in passages if p.article_id == aid]
                seen.append(
                    Seen(
                        group,
                        aid == q.article_id,
                        max((p.similarity for p in mine), default=0.0),
                        any(matches(q.question, p, threshold=2.0) for p in mine),  # the mention rule alone
                    )
                )
    report_table(seen, args.extra_alarms)


def report_table(seen: list[Seen], extra: float) -> None:
    groups = sorted({s.group for s in seen})
    negatives = [s for s in seen if not s.relevant]
    floor = sum(s.mentioned for s in negatives) / len(negatives)
    most = floor + extra
    print(f"{len(seen)} (follow, article) pairs; threshold: recall / false alarms per group, then all")
    print("T      " + "  ".join(f"{g:>24}" for g in [*groups, "all"]))
    chosen = None
    for t in GRID:
        row = []
        for g in [*groups, "all"]:
            pick = [s for s in seen if g in ("all", s.group)]
            pos = [s for s in pick if s.relevant]
            neg = [s for s in pick if not s.relevant]
            recall = sum(s.mentioned or s.similarity >= t for s in pos) / len(pos) if pos else float("nan")
            alarms = sum(s.mentioned or s.similarity >= t for s in neg) / len(neg) if neg else float("nan")
            row.append(f"{recall:>11.3f} / {alarms:>10.4f}")
            if g == "all" and chosen is None and alarms <= most:
                chosen = t
        print(f"{t:<6} " + "  ".join(row))
    print(f"false alarms by the mention rule alone: {floor:.4f}")
    print(
        f"lowest threshold with false alarms <= {most:.2%} (the mention rule's + {extra:.2%}): {chosen} "
        f"(FOLLOW_THRESHOLD is {FOLLOW_THRESHOLD})"
    )


if __name__ == "__main__":
    main()
