"""The short answer line an answer opens with: the answering words of its lead quote, typed, in the
reader's language, with the quote's ``[n]``.

    short_answer("who represents the US in Paris?", found, 1, "en")
    -> ShortAnswer("Stiv Uitkoff and Dzhared Kushner (Стив Уиткофф и Джаред Кушнер)", "Стив Уиткофф и
       Джаред Кушнер", "person", 1)
    short_line(that, "en") -> "Answer (person): Stiv Uitkoff and … (Стив Уиткофф и Джаред Кушнер) [1]"

Precision first: a span is shown only when the evidence says it is the answer (:func:`confident`).
"""

from __future__ import annotations

from collections.abc import Iterable

from retrieval.answer.short.english import render_english
from retrieval.answer.short.extract import Found
from retrieval.records import ShortAnswer

LABELS = {
    "en": {
        "answer": "Answer",
        "person": "person",
        "organization": "organisation",
        "place": "place",
        "date": "date",
        "number": "number",
        "other": "name",
    },
    "ru": {
        "answer": "Ответ",
        "person": "человек",
        "organization": "организация",
        "place": "место",
        "date": "дата",
        "number": "число",
        "other": "название",
    },
}


SHOWN_KINDS = frozenset({"person", "organization", "date", "number"})
"""Kinds whose spans are right often enough to show: on the dev set a place ("где") or a name ("как
называется") was right in fewer than a third of the sentences that held one."""
SHARED_MIN = {"date": 0.25, "person": 0.65, "organization": 0.65, "number": 0.75}
"""The share of the question's words the sentence must mention for its span to be shown, by kind (chosen
on the dev set's Russian questions with ``bench/short_answers.py``): a date is seldom the wrong one once a
few of the question's words stand beside it; a number often is unless most of them do..."""
SHARED_MIN_ACROSS = 0.3
"""...across languages, where only names, numbers, loanwords and places can be matched, this share, and
no other sentence of the passage holding an answer of the kind that mentions as much."""


def confident(found: Found, *, cross_language: bool) -> bool:
    """Whether the evidence says ``found`` is the answer: a span of a kind that is mostly right, the one
    such span the sentence holds beside what the question names, in a sentence that mentions most of
    the question's words (across languages: a few, and more than any other sentence holding an answer).
    A wrong short answer is worse than none."""
    if not _showable(found):
        return False
    if cross_language:
        return found.shared >= SHARED_MIN_ACROSS and not found.contested
    return found.shared >= SHARED_MIN[found.span.kind]


def _showable(found: Found) -> bool:
    return not found.fallback and found.span.kind in SHOWN_KINDS and found.candidates == 1


def short_answer(
    question: str, found: Found, citation: int, language: str, spellings: Iterable[str] = ()
) -> ShortAnswer:
    """``found`` as the reader is shown it: for an English reader rendered in Latin letters and English
    forms beside the quoted words (``spellings``: texts whose names spell the same names)."""
    original = found.span.text
    text = original
    if language == "en":
        rendered = render_english(original, found.span.kind, question, spellings)
        if rendered and rendered != original:
            text = f"{rendered} ({original})"
    return ShortAnswer(text=text, original=original, kind=found.span.kind, citation=citation)


def short_line(short: ShortAnswer, language: str) -> str:
    """``Answer (person): … [1]`` in the reader's language."""
    said = LABELS.get(language, LABELS["en"])
    return f"{said['answer']} ({said[short.kind]}): {short.text} [{short.citation}]"
