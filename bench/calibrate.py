"""Calibrate abstention for the configured embedding model on a questions file.

    NEWSBOT_DATA_DIR=... python bench/calibrate.py ../shared/eval/dev/questions.jsonl [--ru 0.02 --en 0.04]

Searches every question against the ingested archive, fits the logistic relevance model per question
language (answerable questions against off-archive ones) and prints the ``CALIBRATED`` entry to paste into
``retrieval/answer/relevance.py``, with the abstention rates it gives on the same questions. The threshold
refuses at most the given share of the answerable questions of each kind.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.wiring import load_embeddings, open_store  # noqa: E402
from retrieval.answer.relevance import features, fit_calibration  # noqa: E402
from retrieval.evaluation import load_questions  # noqa: E402
from retrieval.search.searcher import Searcher  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("questions", type=Path)
    parser.add_argument(
        "--ru", type=float, default=0.02, help="share of answerable Russian questions refused"
    )
    parser.add_argument(
        "--en", type=float, default=0.04, help="share of answerable English questions refused"
    )
    args = parser.parse_args()

    settings = load_settings()
    embeddings = load_embeddings(settings)
    searcher = Searcher(open_store(settings), embeddings)
    questions = load_questions(args.questions)
    rows = []
    for q in questions:
        result = searcher.search(q.question, 5)
        rows.append((q, result.language, features(result)))

    print(f"    {embeddings.model_id!r}: {{")
    for language, share in (("ru", args.ru), ("en", args.en)):
        picked = [(q, x) for q, lang, x in rows if lang == language]
        x = np.stack([x for _, x in picked])
        y = np.array([q.answerable for q, _ in picked])
        cal = fit_calibration(x, y, share, [q.kind for q, _ in picked])
        # For small archives: the same share of answerable questions falls under the dense floor.
        cal = replace(cal, dense_floor=round(float(np.quantile(x[y, 0], share)), 3))
        refused = np.array([cal.score(v) < cal.threshold for v in x])
        print(f"        {language!r}: {cal!r},")
        print(
            f"        # answerable refused {refused[y].mean():.3f}, "
            f"off-archive refused {refused[~y].mean():.3f}",
            file=sys.stderr,
        )
    print("    },")


if __name__ == "__main__":
    main()
