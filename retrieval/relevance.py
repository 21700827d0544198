"""When to say "the archive does not cover this": a threshold on retrieval's relevance signal.

The signal is the cosine similarity of the best dense hit, which is comparable only within one embedding
model. Thresholds are calibrated per model on the development set (``newsbot eval`` prints the share
abstained per group, ``bench/calibrate.py`` searches the threshold) and kept in ``CALIBRATED``; an unknown
model never abstains unless ``NEWSBOT_ABSTAIN_THRESHOLD`` sets one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

# model_id -> (threshold for questions in the archive's language, threshold for cross-language ones)
CALIBRATED: dict[str, tuple[float, float]] = {}


class HasRelevance(Protocol):
    @property
    def dense_top(self) -> float: ...

    @property
    def language(self) -> str: ...


@dataclass(frozen=True, slots=True)
class AbstainPolicy:
    same_language: float | None = None
    cross_language: float | None = None

    @classmethod
    def for_model(cls, model_id: str, override: float | None = None) -> AbstainPolicy:
        if override is not None:
            return cls(override, override)
        same, cross = CALIBRATED.get(model_id, (None, None))
        return cls(same, cross)

    def should_abstain(self, result: HasRelevance) -> bool:
        threshold = self.same_language if result.language == "ru" else self.cross_language
        return threshold is not None and result.dense_top < threshold
