"""The offline answer: no LLM, verbatim quotes with ``[n]`` markers, or an honest "not in the archive".

From the best retrieved passages it picks the sentence(s) that answer the question: those sharing the
question's rare words (stemmed, Russian and English), numbers and names, with the retrieval rank as prior.
It quotes one to three sentences verbatim; the frame around the quotes is in the question's language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from razdel import sentenize

from retrieval.citations import citation_for
from retrieval.lexical import tokenize
from retrieval.records import Answer, Citation, Passage

MAX_QUOTES_CHARS = 420
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class Sentence:
    rank: int
    passage: Passage
    text: str
    score: float


def split_sentences(text: str) -> list[str]:
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(s.text.strip() for s in sentenize(paragraph) if s.text.strip())
    return out


def _overlap(question_terms: set[str], sentence: str, idf: dict[str, float]) -> float:
    terms = set(tokenize(sentence))
    shared = question_terms & terms
    total = sum(idf.get(t, 1.0) for t in question_terms) or 1.0
    return sum(idf.get(t, 1.0) for t in shared) / total


def score_sentences(question: str, passages: Sequence[Passage], max_passages: int = 4) -> list[Sentence]:
    """Candidate sentences of the top passages, best first."""
    q_terms = set(tokenize(question))
    q_numbers = set(_NUMBER.findall(question))
    candidates: list[tuple[int, Passage, str]] = [
        (rank, p, s) for rank, p in enumerate(passages[:max_passages]) for s in split_sentences(p.chunk.text)
    ]
    # Terms rare among the candidates weigh more: they are what tells the right sentence apart.
    df: dict[str, int] = {}
    for _, _, s in candidates:
        for t in set(tokenize(s)):
            df[t] = df.get(t, 0) + 1
    n = len(candidates) or 1
    idf = {t: math.log(1 + n / (1 + df.get(t, 0))) for t in q_terms}
    scored = []
    for rank, p, s in candidates:
        prior = 1.0 / (1.0 + rank)
        overlap = _overlap(q_terms, s, idf)
        numbers = len(q_numbers & set(_NUMBER.findall(s))) * 0.2
        short = 0.3 if len(s) < 25 else 0.0
        scored.append(Sentence(rank, p, s, prior + 1.5 * overlap + numbers - short))
    scored.sort(key=lambda x: (-x.score, x.rank))
    return scored


def pick_quotes(question: str, passages: Sequence[Passage], max_quotes: int = 2) -> list[Sentence]:
    """The best sentence, and a second one when it adds something close in score."""
    ranked = score_sentences(question, passages)
    if not ranked:
        return []
    chosen = [ranked[0]]
    budget = MAX_QUOTES_CHARS - len(ranked[0].text)
    for cand in ranked[1:]:
        if len(chosen) >= max_quotes:
            break
        if cand.score < ranked[0].score * 0.8 or len(cand.text) > budget:
            continue
        if any(cand.text in c.text or c.text in cand.text for c in chosen):
            continue
        chosen.append(cand)
        budget -= len(cand.text)
    return chosen


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


FRAMES = {
    "ru": ("В архиве сказано: ", "«", "»"),
    "en": ("The archive says: ", "“", "”"),
}


def compose_offline(question: str, passages: Sequence[Passage], language: str) -> Answer:
    quotes = pick_quotes(question, passages)
    if not quotes:
        return abstain(question, language, None, None)
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    lead, open_q, close_q = FRAMES.get(language, FRAMES["en"])
    for q in quotes:
        text = _trim(q.text, MAX_QUOTES_CHARS)
        aid = q.passage.article_id
        if aid not in numbers:
            numbers[aid] = len(numbers) + 1
            citations.append(citation_for(numbers[aid], q.passage, text))
        parts.append(f"{open_q}{text}{close_q} [{numbers[aid]}]")
    return Answer(
        question=question,
        text=lead + " ".join(parts),
        abstained=False,
        citations=tuple(citations),
        passages=tuple(passages),
    )


def abstain(question: str, language: str, since: date | None, until: date | None) -> Answer:
    if language == "ru":
        text = "В архиве нет ответа на этот вопрос."
        if since and until:
            text += f" Архив охватывает статьи с {since.isoformat()} по {until.isoformat()}."
    else:
        text = "The archive does not cover this question."
        if since and until:
            text += f" It holds articles from {since.isoformat()} to {until.isoformat()}."
    return Answer(question=question, text=text, abstained=True)
