"""The words of a sentence that answer a question: a span of the asked kind that the question does not
itself name, nearest to the words the sentence shares with the question.

    answer_span("who represents the US in Paris?",
                "Соединенные Штаты на переговорах представят спецпосланники президента Дональда Трампа "
                "Стив Уиткофф и Джаред Кушнер.")
    -> Span("person", "Стив Уиткофф и Джаред Кушнер", …)

Names joined by "и", "and" or a comma are one answer. Precision comes first: where the sentence holds
several answers of the kind and nothing in it points to one, there is no span.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from retrieval.answer.coverage import mentions, mentions_all
from retrieval.answer.short.asked import asked_kind
from retrieval.answer.short.spans import Span, spans, values
from retrieval.entities.morphology import never_nominative
from retrieval.entities.places import other_names, russian_names

_JOIN = re.compile(r"\s*(?:,|и|and|or|или|&|,\s*и|,\s*and)\s*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]{3,}|\d+|\b[A-Z]{2}\b")
_STOP_WORDS = (
    "the and was were what which who whom whose when where how did does have has had for with from that "
    "this into about there their they them its his her are is been being than then also many much "
    "will would could should shall may might must can not "
    "кто что где когда какой какая какие каком какого как почему сколько чей чья был была было были "
    "это этот эта эти того для при над под или его она они him"
)
_STOP = frozenset(_STOP_WORDS.split())
FALLBACK = {"person": ("organization",)}
"""Kinds that answer when the asked kind is absent: "кого победил…" is often a team."""


@dataclass(frozen=True, slots=True)
class Found:
    """An answering span and the evidence for it."""

    span: Span
    candidates: int
    """How many spans of the kind the sentence holds that the question does not name."""
    anchored: bool
    """Whether the sentence shares words with the question (the span was chosen by nearness to them)."""
    fallback: bool = False
    """Whether the span is of a kind that answers only when the asked one is absent (:data:`FALLBACK`)."""
    shared: float = 0.0
    """The share of the question's words the sentence mentions (:func:`mentioned_share`)."""
    contested: bool = False
    """Whether another sentence of the passage holds an answer of the kind and mentions as much of the
    question (across languages, where few words can be matched): nothing says which one answers."""


def question_words(question: str) -> list[str]:
    """The question's content words, as :func:`mentioned` matches them (abbreviated places too: "US")."""
    return [
        w
        for w in _WORD.findall(question)
        if ((w.isdigit() or len(w) > 2) and w.lower() not in _STOP) or russian_names(w)
    ]


def answer_span(question: str, sentence: str, kind: str | None = None) -> Found | None:
    """The span of ``sentence`` that answers ``question`` (of ``kind``, by default the asked one)."""
    kind = kind or asked_kind(question)
    if kind is None:
        return None
    asked = question_words(question)
    typed = spans(sentence)
    for wanted in (kind, *FALLBACK.get(kind, ())):
        fresh = [s for s in typed if s.kind == wanted and not any(mentioned(w, s.text) for w in asked)]
        if wanted == "person" and _SUBJECT.search(question):
            fresh = [s for s in fresh if not never_nominative(s.text)] or fresh
        if wanted == "number":
            named = values(question)
            fresh = [s for s in fresh if not (values(s.text) & named)]
            if not _PERCENT.search(question):
                fresh = [s for s in fresh if not _PERCENT.search(s.text)] or fresh
        if wanted in ("number", "date"):
            fresh = _distinct_values(fresh)
        if wanted == "number" and (counted := _counted(question)):
            fresh = [s for s in fresh if _counts(sentence, s, counted)] or fresh
        if fresh:
            found = _nearest(_joined(fresh, sentence), sentence, asked)
            return replace(found, fallback=wanted != kind, shared=mentioned_share(asked, sentence))
    return None


def mentioned_share(words: Sequence[str], sentence: str) -> float:
    """The share of ``words`` (a question's, :func:`question_words`) that ``sentence`` mentions, inflected
    or across scripts (:func:`retrieval.answer.coverage.mentions`)."""
    if not words:
        return 0.0
    return sum(mentioned(w, sentence) for w in words) / len(words)


@functools.lru_cache(maxsize=1 << 16)
def mentioned(word: str, text: str) -> bool:
    """Whether ``text`` mentions ``word`` (remembered: the same sentences are weighed against the same
    question several times while it is answered); a country or city also by its other names ("Paris":
    "в Париже", "США": "Соединенные Штаты")."""
    names = russian_names(word) or other_names(word)
    return mentions([word], text) or any(mentions_all(name.split(), text) for name in names)


_SUBJECT = re.compile(r"^\s*who\b(?! (?:did|does|do)\b)|\bкто\b", re.IGNORECASE)
"""Questions that ask for the doer: "президента Дональда Трампа" (a possessor) does not answer them."""
_COUNTED = re.compile(r"\bсколько\s+(?:\w+\s+)?(\w{3,})|\bhow many\s+(?:\w+\s+)?(\w{3,})", re.IGNORECASE)


_PERCENT = re.compile(r"%|процент|percent", re.IGNORECASE)


def _distinct_values(found: Sequence[Span]) -> list[Span]:
    """Numbers or dates that say the same ("2005 года" and "(2005)") as one: the first of them."""
    out: list[Span] = []
    for span in found:
        if all(values(kept.text) != values(span.text) for kept in out):
            out.append(span)
    return out


def _counted(question: str) -> str | None:
    """What a "сколько X" question counts (the stem of X), for Russian questions."""
    m = _COUNTED.search(question)
    if m is None or m.group(1) is None:
        return None
    return m.group(1).lower()[:4]


def _counts(sentence: str, span: Span, counted: str) -> bool:
    """Whether ``span`` counts ``counted``: the word is in it or among the two words after it."""
    after = sentence[span.start : span.end + 40].lower().split()
    return any(w.startswith(counted) for w in after[: len(span.text.split()) + 2])


def _joined(found: Sequence[Span], sentence: str) -> list[Span]:
    """Spans of one kind next to each other ("Стив Уиткофф и Джаред Кушнер") made one."""
    out: list[Span] = []
    for span in found:
        if out and span.start >= out[-1].end and _JOIN.fullmatch(sentence[out[-1].end : span.start]):
            last = out.pop()
            span = Span(span.kind, sentence[last.start : span.end], last.start, span.end)
        if out and span.start < out[-1].end:  # overlapping: keep the longer
            if span.end - span.start <= out[-1].end - out[-1].start:
                continue
            out.pop()
        out.append(span)
    return out


def _nearest(found: Sequence[Span], sentence: str, asked: list[str]) -> Found:
    """The span closest to the question's words in the sentence: each word the sentence shares with the
    question counts by how near its nearest mention stands (within a few words it counts fully, a
    clause away little)."""
    where: dict[str, list[int]] = {}  # each shared word: where the sentence mentions it
    for m in _WORD.finditer(sentence):
        for word in asked:
            if mentioned(word, m.group(0)):
                where.setdefault(word.lower(), []).append(m.start())
    if not where:
        return Found(found[0], len(found), anchored=False)

    def nearness(span: Span) -> float:
        total = 0.0
        for places in where.values():
            outside = [a for a in places if not span.start <= a < span.end]
            if outside:
                gap = min(span.start - a if a < span.start else a - span.end for a in outside)
                total += math.exp(-max(gap, 0) / NEAR_CHARS)
        return total

    best = max(found, key=nearness)
    return Found(best, len(found), anchored=True)


NEAR_CHARS = 40
"""How far (in characters) a shared word's pull on a span falls to about a third."""
