"""Does a passage support a claim? Used to check LLM answers sentence by sentence.

A claim is supported when its numbers all occur in the cited passages and either most of its content
words (stemmed, Russian and English) occur there too, or, across languages, its embedding is close to a
cited passage's. The similarity threshold belongs to the embedding model (calibrated for the bundled
multilingual-e5-small; see ``bench/support.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from retrieval.embeddings import NewsEmbeddings
from retrieval.records import Passage
from retrieval.terms import tokenize

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in _NUMBER.findall(text)}


class Support:
    def __init__(
        self,
        embeddings: NewsEmbeddings | None = None,
        *,
        lexical_min: float = 0.6,
        similarity_min: float = 0.86,
    ) -> None:
        self.embeddings = embeddings
        self.lexical_min = lexical_min
        self.similarity_min = similarity_min

    def supports(self, claim: str, passages: Sequence[Passage]) -> bool:
        sources = " ".join(p.chunk.text for p in passages)
        if not _numbers(claim) <= _numbers(sources):
            return False
        terms = set(tokenize(claim))
        if terms and len(terms & set(tokenize(sources))) / len(terms) >= self.lexical_min:
            return True
        return self.similarity(claim, passages) >= self.similarity_min

    def similarity(self, claim: str, passages: Sequence[Passage]) -> float:
        if self.embeddings is None or not passages:
            return 0.0
        vectors = self.embeddings.embed_passages([claim, *(p.chunk.text for p in passages)])
        return float(np.max(vectors[1:] @ vectors[0]))
