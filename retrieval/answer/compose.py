"""The offline answer: no LLM, verbatim quotes with ``[n]`` markers, or an honest "not in the archive".

From the best retrieved passages it picks the sentence(s) that answer the question: those sharing the
question's rare words (stemmed, Russian and English), numbers and names, holding an answer of the kind
it asks for (:mod:`retrieval.answer.short`), with the retrieval rank as prior; headlines, captions and
the like are never quoted (:mod:`retrieval.boilerplate`). It quotes one to three sentences verbatim,
the one holding the answer first; the frame around the quotes is in the question's language. When the
lead quote answers a factoid question confidently, the answer opens with the short answer line and the
quote stands alone, cut to its answering clauses when long (:mod:`retrieval.answer.clauses`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from razdel import sentenize

from retrieval.answer.citations import citation_for, foreign_addresses
from retrieval.answer.clauses import answering_clause
from retrieval.answer.short.asked import asked_kind
from retrieval.answer.short.extract import Found, answer_span, mentioned_share, question_words
from retrieval.answer.short.line import confident, short_answer, short_line
from retrieval.boilerplate import quotable_spans
from retrieval.entities.places import other_names
from retrieval.records import Answer, Citation, Passage, ShortAnswer
from retrieval.search.searcher import question_language
from retrieval.terms import tokenize

MAX_QUOTES_CHARS = 420
MAX_QUOTES_ACROSS = 3
"""Sentences of the top passage's matching part quoted for a question in another language."""
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class Sentence:
    rank: int
    passage: Passage
    text: str
    score: float
    found: Found | None = None
    """The words of the sentence that answer the question, when it asks for a fact and they are there."""


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, line by line (an LLM's answer)."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(s.text.strip() for s in sentenize(paragraph) if s.text.strip())
    return out


def _overlap(
    question_terms: set[str], terms: set[str], idf: dict[str, float], aliases: dict[str, list[set[str]]]
) -> float:
    """The idf-weighted share of the question's terms a sentence's ``terms`` hold; a place's term also by
    another of its names (``aliases``: "США" by "Соединенные Штаты")."""
    shared = question_terms & terms
    shared |= {term for term, names in aliases.items() if any(name <= terms for name in names)}
    total = sum(idf.get(t, 1.0) for t in question_terms) or 1.0
    return sum(idf.get(t, 1.0) for t in shared) / total


def _candidates(
    passages: Sequence[Passage], max_passages: int, question: str
) -> list[tuple[int, Passage, str, bool]]:
    """Sentences of the top passage (its context too) and of the next passages' matching parts, each with
    its passage's rank and whether it lies in the matching part (none that :func:`_misleads`)."""
    out: list[tuple[int, Passage, str, bool]] = []
    for rank, p in enumerate(passages[:max_passages]):
        text = p.chunk.text
        lo, hi = p.focus or (0, len(text))
        for s, e in _sentence_spans(text, p.chunk.title):
            inside = s < hi and e > lo
            sentence = text[s:e].strip()
            if (inside or rank == 0) and not _misleads(sentence, p, question):
                out.append((rank, p, sentence, inside))
    return out


def _misleads(sentence: str, passage: Passage, question: str) -> bool:
    """Whether ``sentence`` carries a link other than its article's own, or a contact (@handle, e-mail,
    phone) the question neither names nor asks for: the payload of an article written to plant one in
    answers, never quoted (as the LLM's answers are checked: :func:`citations.foreign_addresses`)."""
    return bool(foreign_addresses(sentence, [passage.chunk.url], question))


def score_sentences(
    question: str,
    passages: Sequence[Passage],
    max_passages: int = 3,
    *,
    cross_language: bool = False,
    asked: str | None = None,
) -> list[Sentence]:
    """Candidate sentences, best first: sharing the question's rare words and numbers (across languages:
    its names and other words by transcription), holding the kind of answer it asks for (``asked``: the
    question as the reader put it, when ``question`` is a follow-up read with its thread), in a
    well-ranked passage's matching part."""
    signals = sentence_signals(question, passages, max_passages, asked=asked)
    weights = _WEIGHTS_ACROSS if cross_language else WEIGHTS
    scored = [replace(sentence, score=float(weights @ x)) for sentence, x in signals]
    scored.sort(key=lambda x: (-x.score, x.rank))
    return scored


SIGNALS = (
    "rank",  # 1 / (1 + its passage's rank)
    "inside",  # whether it lies in its passage's matching part
    "overlap",  # the idf-weighted share of the question's terms it holds (places by any of their names)
    "density",  # the share of its own terms that are the question's
    "mentioned",  # the share of the question's names, numbers and rare words it mentions (any script)
    "numbers",  # how many of the question's numbers it holds
    "after",  # the previous sentence's overlap (a sentence that goes on with "Он …")
    "typed",  # whether it holds an answer of the asked kind (a name for "who"…)
    "short",  # whether it is under 25 characters
)
"""What :func:`sentence_signals` measures of each candidate sentence, in order."""

WEIGHTS = np.array((3.71, 0.41, 3.84, 2.24, 3.82, -0.05, 1.55, 1.77, -1.62))
"""How much each of :data:`SIGNALS` counts for a sentence in the question's language. Fitted by
``bench/sentences.py`` on the dev set's Russian questions (which sentence holds the gold answer)."""

_WEIGHTS_ACROSS = np.array((0.6, 0.4, 0.0, 0.0, 1.5, 0.2, 0.0, 0.5, -0.3))
"""The same across languages (where only the top passage's sentences are scored), where words can hardly
be matched: the question's names and numbers, the matching part and the asked kind of answer count (a fit
on the dev set's English questions did no better)."""


def sentence_signals(
    question: str, passages: Sequence[Passage], max_passages: int = 3, *, asked: str | None = None
) -> list[tuple[Sentence, np.ndarray]]:
    """Each candidate sentence (score 0) with its :data:`SIGNALS`."""
    q_terms = set(tokenize(question))
    q_numbers = set(_NUMBER.findall(question))
    factoid = asked or question
    kind = asked_kind(factoid)
    words = question_words(question)
    candidates = _candidates(passages, max_passages, factoid)
    # Terms rare among the candidates weigh more: they are what tells the right sentence apart.
    df: dict[str, int] = {}
    for _, _, s, _ in candidates:
        for t in set(tokenize(s)):
            df[t] = df.get(t, 0) + 1
    n = len(candidates) or 1
    idf = {t: math.log(1 + n / (1 + df.get(t, 0))) for t in q_terms}
    aliases = {
        term: [set(tokenize(name)) for name in names]
        for word in re.findall(r"\w+", question)
        if (names := other_names(word))
        for term in tokenize(word)
    }
    out = []
    previous: tuple[Passage | None, float] = (None, 0.0)  # the candidate before, and its overlap
    for rank, p, s, inside in candidates:
        terms = set(tokenize(s))
        found = answer_span(factoid, s, kind) if kind else None
        overlap = _overlap(q_terms, terms, idf, aliases)
        after = previous[1] if previous[0] is p else 0.0
        previous = (p, overlap)
        x = np.array(
            (
                1.0 / (1.0 + rank),
                float(inside),
                overlap,
                len(q_terms & terms) / (len(terms) or 1),
                mentioned_share(words, s),
                len(q_numbers & set(_NUMBER.findall(s))),
                after,
                float(found is not None and not found.fallback),
                float(len(s) < 25),
            )
        )
        out.append((Sentence(rank, p, s, 0.0, found), x))
    return out


def pick_quotes(
    question: str,
    passages: Sequence[Passage],
    *,
    cross_language: bool = False,
    max_quotes: int = 2,
    asked: str | None = None,
) -> list[Sentence]:
    """The best sentence, and a second one when it adds something close in score. When the best one
    holds the answer to a factoid question, it is quoted alone: other sentences would not help.

    Across languages words can hardly be matched, so the sentences of the top passage's matching part
    are quoted as retrieval ranked it, a sentence holding the asked kind of answer first."""
    if not passages:
        return []
    if cross_language:
        return pick_across_languages(question, passages, asked)
    ranked = score_sentences(question, passages, asked=asked)
    if not ranked:  # nothing quotable around the matches (headlines, captions): as across languages
        return pick_across_languages(question, passages, asked)
    if ranked[0].found is not None and confident(ranked[0].found, cross_language=False):
        return [ranked[0]]  # the answer is shown: other sentences would not help
    chosen = [ranked[0]]
    budget = MAX_QUOTES_CHARS - len(ranked[0].text)
    for cand in ranked[1:]:
        if len(chosen) >= max_quotes:
            break
        if cand.score < ranked[0].score * 0.85 or len(cand.text) > budget:
            continue
        if any(cand.text in c.text or c.text in cand.text for c in chosen):
            continue
        chosen.append(cand)
        budget -= len(cand.text)
    return chosen


def sentences_of(passage: Passage, most: int = 30) -> list[str]:
    """The quotable sentences of a passage, at most ``most`` of them."""
    text = passage.chunk.text
    return [text[s:e].strip() for s, e in _sentence_spans(text, passage.chunk.title)[:most]]


def _sentence_spans(text: str, title: str = "") -> list[tuple[int, int]]:
    """Where the sentences of ``text`` lie, never across a line and never in a headline, caption,
    credit, byline, dateline or navigation line (:mod:`retrieval.boilerplate`)."""
    spans = []
    for lo, hi in quotable_spans(text, title):
        for s in sentenize(text[lo:hi]):
            if s.text.strip():
                spans.append((lo + s.start, lo + s.stop))
    return spans


def pick_across_languages(
    question: str,
    passages: Sequence[Passage],
    asked: str | None = None,
) -> list[Sentence]:
    """The sentences of the top passage's matching part, in order. When the question asks for a fact and
    sentences of the top passage hold an answer of that kind, the one that mentions most of the
    question leads (countries and cities by their Russian names too: "who represents the US in Paris?"
    finds "Соединенные Штаты … представят …", not the meeting's host), and sentences holding other
    answers of that kind are left out; when its answer is shown, it is quoted alone."""
    top = passages[0]
    lead, holding = _lead_across(question, passages, asked)
    if lead is not None and lead.found is not None and confident(lead.found, cross_language=True):
        return [lead]  # the answer is shown: other sentences would not help
    text = top.chunk.text
    lo, hi = top.focus or (0, len(text))
    quotable = _sentence_spans(text, top.chunk.title)
    inside = [text[s:e].strip() for s, e in quotable if s < hi and e > lo]
    if not inside:  # the match is a headline or a caption: the text that follows it
        inside = [text[s:e].strip() for s, e in quotable if s >= lo] or [text[lo:hi].strip()]
    inside = [sentence for sentence in inside if not _misleads(sentence, top, asked or question)]
    # sentences holding another answer of the asked kind (the meeting's host, for a question about who
    # represents the US) would not help answer; the lead is the first of them
    competing = {h.text for h in holding[1:]}
    out: list[Sentence] = [lead] if lead is not None else []
    budget = MAX_QUOTES_CHARS - sum(len(s.text) for s in out)
    for sentence in inside:
        if out and (len(sentence) > budget or len(out) >= MAX_QUOTES_ACROSS):
            break
        if sentence not in competing and (lead is None or sentence != lead.text):
            out.append(Sentence(0, top, sentence, 1.0))
            budget -= len(sentence)
    return out


def _lead_across(
    question: str, passages: Sequence[Passage], asked: str | None
) -> tuple[Sentence | None, list[Sentence]]:
    """The sentence of the top passage holding an answer of the asked kind that matches the question
    best, and every sentence of the top passage that holds one. When the next one mentions as much of
    the question, words cannot tell the two apart and the lead's answer is marked contested (not shown).

    (The model's sparse terms of the two sentences told them apart no better: on the dev set's English
    questions the lines they let through were right 83% of the time against 86% without, for a model
    pass of 50-90 ms.)"""
    if asked_kind(asked or question) is None:
        return None, []
    ranked = score_sentences(question, passages, max_passages=1, cross_language=True, asked=asked)
    holding = [s for s in ranked if s.found is not None and not s.found.fallback]
    if not holding:
        return None, holding
    lead, found = holding[0], holding[0].found
    assert found is not None
    if any(s.found is not None and s.found.shared >= found.shared for s in holding[1:2]):
        return replace(lead, found=replace(found, contested=True)), holding
    return lead, holding


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
    question: str,
    passages: Sequence[Passage],
    language: str,
    *,
    cross_language: bool = False,
    asked: str | None = None,
    spellings: Spellings | None = None,
) -> Answer:
    """Quotes of ``passages`` that answer ``question``, and the short answer line when it asks for a fact
    they hold (``asked``: the question as the reader put it, when ``question`` is a follow-up read with
    its thread; ``spellings``: see :data:`Spellings`)."""
    quotes = pick_quotes(question, passages, cross_language=cross_language, asked=asked)
    if not quotes:
        return abstain(question, language, None, None)
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    terms = set(tokenize(question))
    lead, open_q, close_q = FRAMES.get(language, FRAMES["en"])
    quoted: dict[str, list[str]] = {}
    first: dict[str, Passage] = {}
    # the lead quote's article is source [1] (sources are numbered in order of first use)
    short = _short(asked or question, quotes[0], 1, language, passages, spellings)
    for q in quotes:
        text = _trim(q.text, MAX_QUOTES_CHARS)
        if short is not None and q is quotes[0] and q.found is not None:  # cut to the answer shown
            text = answering_clause(q.text, terms, (q.found.span.start, q.found.span.end))
        aid = q.passage.article_id
        if aid not in numbers:
            numbers[aid] = len(numbers) + 1
            first[aid] = q.passage
        quoted.setdefault(aid, []).append(q.text)
        parts.append(f"{open_q}{text}{close_q} [{numbers[aid]}]")
    citations = [citation_for(n, first[aid], " … ".join(quoted[aid])) for aid, n in numbers.items()]
    body = lead + " ".join(parts)
    return Answer(
        question=question,
        text=with_short_line(body, short, language),
        abstained=False,
        citations=tuple(citations),
        passages=tuple(passages),
        short=short,
    )


def short_from_cited(
    question: str, cited: Sequence[tuple[int, Passage]], language: str
) -> ShortAnswer | None:
    """The short answer of an answer written otherwise (an LLM's): the same extraction from the best
    sentence of each cited passage in turn (``cited``: its ``[n]`` and passage), the first confident."""
    passages = [p for _, p in cited]
    for n, passage in cited:
        across = question_language(passage.chunk.text) != language
        quotes = pick_quotes(question, [passage], cross_language=across, max_quotes=1)
        if quotes and (short := _short(question, quotes[0], n, language, passages)) is not None:
            return short
    return None


def with_short_line(body: str, short: ShortAnswer | None, language: str) -> str:
    """An answer's text: the short answer line, if any, above ``body``."""
    return f"{short_line(short, language)}\n\n{body}" if short else body


def quote_across(quote: Sentence, language: str) -> bool:
    """Whether ``quote`` is in another language than the question (``language``)."""
    return question_language(quote.text) != language


def _short(
    question: str,
    quote: Sentence,
    n: int,
    language: str,
    passages: Sequence[Passage],
    spellings: Spellings | None = None,
) -> ShortAnswer | None:
    """The short answer the lead quote gives, when it gives one confidently; for an English reader its
    names spelled as English passages among the results, or elsewhere in the archive, spell them."""
    if quote.found is None or not confident(quote.found, cross_language=quote_across(quote, language)):
        return None
    english = [p.chunk.text for p in passages if question_language(p.chunk.text) == "en"]
    if language == "en" and spellings is not None and quote.found.span.kind in NAMED_KINDS:
        english.extend(spellings(quote.found.span.text))
    return short_answer(question, quote.found, n, language, english)


NAMED_KINDS = frozenset({"person", "organization", "place"})
Spellings = Callable[[str], Sequence[str]]
"""English texts of the archive that mention the names of a Russian text (the same consonant keys:
:meth:`retrieval.answer.answerer.Answerer.english_mentions`)."""


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
