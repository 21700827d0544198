"""How right the short answer line is, by the kind of fact asked, on a questions file with gold answers.

    NEWSBOT_DATA_DIR=<the dev store> python bench/short_answers.py ../shared/eval/dev/questions.jsonl

Every answerable question with gold answers is searched and composed as ``newsbot ask`` would (offline).
Its lead quote's answering span is judged as ``newsbot eval``'s ``short_right`` does, whether or not the
gate (:func:`retrieval.answer.short.line.confident`) lets it be shown, so that the gate's thresholds
can be chosen on figures: per language and kind, the questions, the spans found, their precision, and
the spans shown with theirs; and the same by how many of the question's words the sentence mentions.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.wiring import build_answerer  # noqa: E402
from retrieval.answer.compose import pick_quotes  # noqa: E402
from retrieval.answer.short.asked import asked_kind  # noqa: E402
from retrieval.answer.short.line import confident, short_answer  # noqa: E402
from retrieval.evaluation import Outcome, load_questions  # noqa: E402
from retrieval.records import Answer  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("questions", type=Path)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    answerer = build_answerer(load_settings())
    archive = answerer.searcher.config.archive_language
    tally: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for q in load_questions(args.questions, args.limit):
        if not q.answerable or not q.answers:
            continue
        result = answerer.search(q.question, answerer.k)
        kind = asked_kind(q.question) or "-"
        rows = [(q.lang, kind), (q.lang, "all")]
        for row in rows:
            tally[row][0] += 1
        if answerer.policy.should_abstain(result) or kind == "-":
            continue
        across = result.language != archive
        quotes = pick_quotes(q.question, result.passages, cross_language=across)
        found = quotes[0].found if quotes else None
        if found is None:
            continue
        short = short_answer(q.question, found, 1, result.language)
        right = Outcome(q, [], Answer(q.question, "", False, short=short), 0.0, 5).short_right()
        shown = confident(found, cross_language=across)
        shared = f"shared {min(int(found.shared * 4), 3) * 25}%+"
        for row in [*rows, (q.lang, shared)]:
            counts = tally[row]
            counts[1] += 1
            counts[2] += int(right)
            counts[3] += int(shown)
            counts[4] += int(shown and right)
    print(f"{'lang':<5} {'kind':<14} {'questions':>9} {'found':>6} {'right':>6} {'shown':>6} {'right':>6}")
    for (lang, kind), (n, found_n, right_n, shown_n, shown_right) in sorted(tally.items()):
        print(
            f"{lang:<5} {kind:<14} {n:>9} {found_n:>6} {_share(right_n, found_n):>6} {shown_n:>6}"
            f" {_share(shown_right, shown_n):>6}"
        )


def _share(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "–"


if __name__ == "__main__":
    main()
