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


def confident(found: Found) -> bool:
    """Whether the evidence says ``found`` is the answer: the one span of its kind the sentence holds
    beside what the question names, or the one nearest to the words it shares with the question; a span
    of a kind that stands in for the asked one (a team for "who") must be both."""
    if found.fallback:
        return found.candidates == 1 and found.anchored
    return found.candidates == 1 or found.anchored


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
