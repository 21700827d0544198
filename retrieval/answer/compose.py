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

from retrieval.answer.answer_types import answer_type, type_matches
from retrieval.answer.citations import citation_for
from retrieval.records import Answer, Citation, Passage
from retrieval.terms import tokenize

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


def _candidates(passages: Sequence[Passage], max_passages: int) -> list[tuple[int, Passage, str, bool]]:
    """Sentences of the top passage (its context too) and of the next passages' matching parts, each with
    its passage's rank and whether it lies in the matching part."""
    out: list[tuple[int, Passage, str, bool]] = []
    for rank, p in enumerate(passages[:max_passages]):
        text = p.chunk.text
        lo, hi = p.focus or (0, len(text))
        for s, e in _sentence_spans(text):
            inside = s < hi and e > lo
            if inside or rank == 0:
                out.append((rank, p, text[s:e].strip(), inside))
    return out


def score_sentences(question: str, passages: Sequence[Passage], max_passages: int = 3) -> list[Sentence]:
    """Candidate sentences, best first: sharing the question's rare words and numbers, holding the kind
    of answer it asks for, in a well-ranked passage's matching part."""
    q_terms = set(tokenize(question))
    q_numbers = set(_NUMBER.findall(question))
    kind = answer_type(question)
    candidates = _candidates(passages, max_passages)
    # Terms rare among the candidates weigh more: they are what tells the right sentence apart.
    df: dict[str, int] = {}
    for _, _, s, _ in candidates:
        for t in set(tokenize(s)):
            df[t] = df.get(t, 0) + 1
    n = len(candidates) or 1
    idf = {t: math.log(1 + n / (1 + df.get(t, 0))) for t in q_terms}
    scored = []
    for rank, p, s, inside in candidates:
        prior = (1.0 if inside else 0.6) / (1.0 + rank)
        overlap = _overlap(q_terms, s, idf)
        numbers = len(q_numbers & set(_NUMBER.findall(s))) * 0.2
        typed = 0.25 * min(type_matches(kind, s), 3)
        short = 0.3 if len(s) < 25 else 0.0
        scored.append(Sentence(rank, p, s, prior + 1.5 * overlap + numbers + typed - short))
    scored.sort(key=lambda x: (-x.score, x.rank))
    return scored


def pick_quotes(
    question: str, passages: Sequence[Passage], *, cross_language: bool = False, max_quotes: int = 2
) -> list[Sentence]:
    """The best sentence, and a second one when it adds something close in score.

    Across languages words cannot be matched, so the best-matching part of the top passage (one to three
    sentences, as retrieval ranked it) is quoted whole."""
    if cross_language and passages:
        return pick_across_languages(question, passages[0])
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


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for paragraph in text.split("\n"):
        for s in sentenize(paragraph):
            if s.text.strip():
                spans.append((start + s.start, start + s.stop))
        start += len(paragraph) + 1
    return spans


def pick_across_languages(question: str, top: Passage) -> list[Sentence]:
    """The matching part of the top passage, whole; but when a sentence of its context holds clearly more
    of what the question asks for (names for "who", dates for "when"…), that sentence joins the quote."""
    text = top.chunk.text
    lo, hi = top.focus or (0, len(text))
    kind = answer_type(question)
    inside: list[tuple[int, int, int]] = []
    outside: list[tuple[int, int, int]] = []
    for s, e in _sentence_spans(text):
        (inside if s < hi and e > lo else outside).append((type_matches(kind, text[s:e]), s, e))
    focus = text[lo:hi].strip()
    if not inside or not outside:
        return [Sentence(0, top, focus, 1.0)]
    best_in = max(inside, key=lambda x: x[0])
    best_out = max(outside, key=lambda x: x[0])
    if best_out[0] <= best_in[0] or best_out[0] == 0:
        return [Sentence(0, top, focus, 1.0)]
    picked = sorted([best_in, best_out], key=lambda x: x[1])
    return [Sentence(0, top, text[s:e].strip(), 1.0) for _, s, e in picked]


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


FRAMES = {
    "ru": ("В архиве сказано: ", "«", "»"),
    "en": ("The archive says: ", "“", "”"),
}


def compose_offline(
    question: str, passages: Sequence[Passage], language: str, *, cross_language: bool = False
) -> Answer:
    quotes = pick_quotes(question, passages, cross_language=cross_language)
    if not quotes:
        return abstain(question, language, None, None)
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    lead, open_q, close_q = FRAMES.get(language, FRAMES["en"])
    quoted: dict[str, list[str]] = {}
    first: dict[str, Passage] = {}
    for q in quotes:
        text = _trim(q.text, MAX_QUOTES_CHARS)
        aid = q.passage.article_id
        if aid not in numbers:
            numbers[aid] = len(numbers) + 1
            first[aid] = q.passage
        quoted.setdefault(aid, []).append(text)
        parts.append(f"{open_q}{text}{close_q} [{numbers[aid]}]")
    citations = [citation_for(n, first[aid], " … ".join(quoted[aid])) for aid, n in numbers.items()]
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
