"""How honest the match-strength labels of ``search`` are, on a questions file with gold articles.

    NEWSBOT_DATA_DIR=<the dev store> python bench/strength.py ../shared/eval/dev/questions.jsonl

Every question is searched as ``newsbot search`` would (k passages, each labelled strong / related /
weak). For each label it prints how many passages got it, its precision (the share that come from the
question's gold article; off-archive questions have none, so all their passages count as wrong), and
the share of the gold article's passages marked strong, and the share of the passages that are not from
the gold article marked strong, or strong or related: what a journalist would be misled by. Per question
group, and overall.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.wiring import build_answerer  # noqa: E402
from retrieval.evaluation import Question, load_questions, same_article  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402

LABELS = ("strong", "related", "weak")


def tally(questions: list[Question], labelled: list[list[tuple[str, str]]]) -> dict[str, Counter[str]]:
    """Per group: passages per label, gold passages per label, non-gold passages per label."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for q, passages in zip(questions, labelled, strict=True):
        for group in (q.group, "overall"):
            for article, label in passages:
                gold = q.article_id is not None and same_article(article, q.article_id)
                out[group][label] += 1
                out[group][f"gold {label}"] += int(gold)
                out[group]["other"] += int(not gold)
                out[group]["gold"] += int(gold)
                out[group][f"other {label}"] += int(not gold)
    return out


def share(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "–"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("questions", type=Path)
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    answerer = build_answerer(load_settings())
    questions = load_questions(args.questions, args.limit)
    labelled = [
        [(p.article_id, p.strength) for p in answerer.search(q.question, args.k).passages] for q in questions
    ]
    print(
        f"{'group':<20} {'passages':>8} {'strong':>7} {'P(strong)':>9} {'related':>7} {'P(related)':>10}"
        f" {'gold→strong':>11} {'other→strong':>12} {'other→strong|related':>20}"
    )
    for group, c in sorted(tally(questions, labelled).items()):
        total = sum(c[label] for label in LABELS)
        print(
            f"{group:<20} {total:>8} {c['strong']:>7} {share(c['gold strong'], c['strong']):>9}"
            f" {c['related']:>7} {share(c['gold related'], c['related']):>10}"
            f" {share(c['gold strong'], c['gold']):>11} {share(c['other strong'], c['other']):>12}"
            f" {share(c['other strong'] + c['other related'], c['other']):>20}"
        )


if __name__ == "__main__":
    main()
