"""Does a passage support a claim? Used to check LLM answers sentence by sentence.

A claim is supported when its numbers all occur in the cited passages and either most of its content
words (stemmed, Russian and English) occur there too, or, across languages, its embedding is close to a
cited passage's. The similarity threshold belongs to the embedding model (calibrated for the bundled
multilingual-e5-small).

The words are counted against what the model was shown of each passage, its title and its text, and
the words the claim takes from the question are not counted: an answer restates its question ("США в
Париже представляют Стив Уиткофф и Джаред Кушнер" to "кто представляет США в Париже?") where the article
put it its own way ("Соединенные Штаты на переговорах представят … Уиткофф и Джаред Кушнер", Paris in
the title). Counted against the article, the question's words sank such a sentence below the share of
words it needs; then only the embedding was left, and a passage's embedding is that of all its text, so
in a long passage (one an injected paragraph makes longer still) a sentence stating one of its
sentences lands below the threshold. A claim made of the question's words alone ("Рубио представляет
США в Париже" to "представляет ли Рубио США в Париже?") is counted whole, as before.
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

    def supports(self, claim: str, passages: Sequence[Passage], *, question: str = "") -> bool:
        """Whether ``passages`` support ``claim``, an answer to ``question``."""
        shown = " ".join(f"{p.chunk.title or ''}\n{p.chunk.text}" for p in passages)
        if not _numbers(claim) <= _numbers(shown):
            return False
        terms = set(tokenize(claim))
        terms = terms - set(tokenize(question)) or terms
        if terms and len(terms & set(tokenize(shown))) / len(terms) >= self.lexical_min:
            return True
        return self.similarity(claim, passages) >= self.similarity_min

    def similarity(self, claim: str, passages: Sequence[Passage]) -> float:
        if self.embeddings is None or not passages:
            return 0.0
        vectors = self.embeddings.embed_passages([claim, *(p.chunk.text for p in passages)])
        return float(np.max(vectors[1:] @ vectors[0]))
