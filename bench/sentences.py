"""Fit the weights that rank an offline answer's candidate sentences, on a questions file with gold answers.

    NEWSBOT_DATA_DIR=... python bench/sentences.py ../shared/eval/dev/questions.jsonl [--language ru]

Searches every answerable question of the language against the ingested archive, takes the candidate
sentences of its best passages with their signals (``retrieval.answer.compose.sentence_signals``), and
fits a linear score by a softmax over each question's candidates, the sentences holding a gold answer
being the right ones. Prints how often the best-scored sentence holds a gold answer with today's
``WEIGHTS`` and with the fitted ones (in 5-fold cross-validation, by question), and the fitted weights to
paste into ``WEIGHTS``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.wiring import load_embeddings, open_store  # noqa: E402
from retrieval.answer.compose import SIGNALS, WEIGHTS, sentence_signals  # noqa: E402
from retrieval.answer.relevance import AbstainPolicy  # noqa: E402
from retrieval.evaluation import load_questions, normalise  # noqa: E402
from retrieval.search.searcher import Searcher  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402

Group = tuple[np.ndarray, np.ndarray]
"""One question's candidates: their signals (rows) and whether each holds a gold answer."""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("questions", type=Path)
    parser.add_argument("--language", default="ru", help="the questions' language (default ru)")
    args = parser.parse_args()

    settings = load_settings()
    embeddings = load_embeddings(settings)
    searcher = Searcher(open_store(settings), embeddings)
    policy = AbstainPolicy.for_model(embeddings.model_id)
    groups: list[Group] = []
    for q in load_questions(args.questions):
        if not q.answerable or not q.answers or q.lang != args.language:
            continue
        result = searcher.search(q.question, 5)
        if result.language != args.language or policy.should_abstain(result):
            continue
        signals = sentence_signals(q.question, result.passages)
        if not signals:
            continue
        gold = [normalise(a) for a in q.answers]
        x = np.stack([v for _, v in signals])
        y = np.array([any(g in normalise(s.text) for g in gold) for s, _ in signals])
        groups.append((x, y))

    print(f"{len(groups)} questions ({args.language}), best sentence holds a gold answer:")
    print(f"  today's WEIGHTS  {_top1(groups, WEIGHTS)}")
    folds = np.array_split(np.random.default_rng(0).permutation(len(groups)), 5)
    right = sum(
        _top1([groups[i] for i in fold], _fit([g for i, g in enumerate(groups) if i not in set(fold)]))[0]
        for fold in folds
    )
    print(f"  fitted, 5-fold   {right} of {len(groups)} ({right / len(groups):.3f})")
    weights = _fit(groups)
    print("WEIGHTS = np.array((" + ", ".join(f"{w:.2f}" for w in weights) + "))")
    print("  # " + ", ".join(SIGNALS))


def _top1(groups: list[Group], weights: np.ndarray) -> tuple[int, str]:
    right = sum(bool(y[np.argmax(x @ weights)]) for x, y in groups)
    return right, f"{right} of {len(groups)} ({right / max(len(groups), 1):.3f})"


def _fit(groups: list[Group]) -> np.ndarray:
    """Weights (in the signals' own units) that maximise the softmax likelihood of the right sentences."""
    from scipy.optimize import minimize

    learnable = [(x, y) for x, y in groups if y.any()]
    stacked = np.vstack([x for x, _ in learnable])
    mean, scale = stacked.mean(0), stacked.std(0)
    scale[scale < 1e-9] = 1.0

    def loss(w: np.ndarray) -> float:
        total = 0.0
        for x, y in learnable:
            s = ((x - mean) / scale) @ w
            top = s.max()
            total -= np.log(np.exp(s[y] - top).sum()) - np.log(np.exp(s - top).sum())
        return total / len(learnable) + 1e-3 * float(w @ w)

    w = minimize(loss, np.zeros(stacked.shape[1]), method="L-BFGS-B").x
    return w / scale


if __name__ == "__main__":
    main()
