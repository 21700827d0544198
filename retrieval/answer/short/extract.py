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

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from retrieval.answer.coverage import mentions
from retrieval.answer.short.asked import asked_kind
from retrieval.answer.short.spans import Span, spans, values
from retrieval.entities.morphology import never_nominative

_JOIN = re.compile(r"\s*(?:,|и|and|or|или|&|,\s*и|,\s*and)\s*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]{3,}|\d+")
_STOP_WORDS = (
    "the and was were what which who whom whose when where how did does have has had for with from that "
    "this into about there their they them its his her are is been being than then also many much "
    "кто что где когда какой какая какие каком какого как почему сколько чей чья был была было были "
    "это этот эта эти того для при над под или его она они him"
)
_STOP = frozenset(_STOP_WORDS.split())
FALLBACK = {"person": ("organization",), "other": ("person", "organization", "place")}
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


def question_words(question: str) -> list[str]:
    """The question's content words, as :func:`retrieval.answer.coverage.mentions` matches them."""
    return [w for w in _WORD.findall(question) if w.lower() not in _STOP]


def answer_span(question: str, sentence: str, kind: str | None = None) -> Found | None:
    """The span of ``sentence`` that answers ``question`` (of ``kind``, by default the asked one)."""
    kind = kind or asked_kind(question)
    if kind is None:
        return None
    asked = question_words(question)
    typed = spans(sentence)
    for wanted in (kind, *FALLBACK.get(kind, ())):
        fresh = [s for s in typed if s.kind == wanted and not (asked and mentions(asked, s.text))]
        if wanted == "person" and _SUBJECT.search(question):
            fresh = [s for s in fresh if not never_nominative(s.text)] or fresh
        if wanted == "number":
            named = values(question)
            fresh = [s for s in fresh if not (values(s.text) & named)]
        if wanted == "number" and (counted := _counted(question)):
            fresh = [s for s in fresh if _counts(sentence, s, counted)] or fresh
        if fresh:
            return replace(_nearest(_joined(fresh, sentence), sentence, asked), fallback=wanted != kind)
    return None


_SUBJECT = re.compile(r"^\s*who\b(?! (?:did|does|do)\b)|\bкто\b", re.IGNORECASE)
"""Questions that ask for the doer: "президента Дональда Трампа" (a possessor) does not answer them."""
_COUNTED = re.compile(r"\bсколько\s+(?:\w+\s+)?(\w{3,})|\bhow many\s+(?:\w+\s+)?(\w{3,})", re.IGNORECASE)


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
    anchors = [m.start() for m in _WORD.finditer(sentence) if asked and mentions(asked, m.group(0))]
    if not anchors:
        return Found(found[0], len(found), anchored=False)

    def distance(span: Span) -> int:
        return min(abs(a - span.start) if a < span.start else abs(a - span.end) for a in anchors)

    best = min(found, key=distance)
    return Found(best, len(found), anchored=True)
