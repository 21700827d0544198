"""Does a passage mention what the question names? Names and numbers, matched across scripts.

A question about something the archive covers usually names it ("Chekhov", "Witkoff", "1705"), and the
best passage then mentions it, in Russian often as a transcription ("Чехов", "Уиткофф"). A question the
archive does not cover gets passages that only resemble it. This module gives the share of the question's
names and numbers that a passage mentions, a signal for abstention (:mod:`retrieval.answer.relevance`).

English names are transcribed into Cyrillic by a small rule table and matched loosely (shared letter
pairs of the word starts, or the same consonants), since Russian spellings vary ("Luther" is "Лютер",
"Turing" is "Тьюринг"). Russian names match on their stem (the first letters), so that inflected forms count.
"""

from __future__ import annotations

import re

from retrieval.names import sounds_alike, transcribe

# Capitalised words that are not names: question words and function words at a sentence start.
_NOT_NAMES = (
    "what who whom whose which when where why how the a an in on of at to for and or is was were are did "
    "does do by with from as that this these those its it his her their there "
    "кто что где когда какой какая какие каком какого как почему сколько чей чья"
)
_STOP = frozenset(_NOT_NAMES.split())
_TOKEN = re.compile(r"[A-Za-zА-ЯЁа-яё][A-Za-zА-ЯЁа-яё'\-]*|\d+")
_CYRILLIC = re.compile(r"[а-яё]")


def key_terms(question: str) -> list[str]:
    """The question's names (capitalised words after the first, initials aside) and numbers."""
    terms = []
    for i, token in enumerate(_TOKEN.findall(question)):
        if token.isdigit():
            terms.append(token)
        elif i > 0 and len(token) > 1 and token[0].isupper() and token.lower() not in _STOP:
            terms.append(token.split("'")[0])
    return terms


def coverage(question: str, text: str) -> float | None:
    """The share of the question's names and numbers that ``text`` mentions; ``None`` when it names none."""
    terms = key_terms(question)
    if not terms:
        return None
    words = {w.lower() for w in _TOKEN.findall(text)}
    return sum(_mentioned(term, words) for term in terms) / len(terms)


def _mentioned(term: str, words: set[str]) -> bool:
    lowered = term.lower()
    if term.isdigit() or lowered in words:
        return lowered in words
    if _CYRILLIC.search(lowered):
        stem = lowered[: max(3, min(5, len(lowered) - 1))]
        return any(w.startswith(stem) for w in words)
    cyrillic = transcribe(lowered)
    return any(sounds_alike(cyrillic, w) for w in words if _CYRILLIC.match(w))


_QUESTION = (
    "what who whom whose which when where why how is are was were did does do can could should would "
    "кто что где когда какой какая какие каком какого как почему сколько чей чья зачем откуда куда ли"
)
_QUESTION_WORDS = frozenset(_QUESTION.split())


def keywords(query: str) -> list[str] | None:
    """The words of a keyword query ("Уиткофф Кушнер", "witkoff paris"): at most four words and no
    question; None for a question or a longer text."""
    words = _TOKEN.findall(query)
    if not words or len(words) > 4 or "?" in query or words[0].lower() in _QUESTION_WORDS:
        return None
    return [w for w in words if w.lower() not in _STOP and (len(w) > 1 or w.isdigit())] or None


def mentions_all(terms: list[str], text: str) -> bool:
    """Whether ``text`` mentions every one of ``terms`` (inflected, or across scripts by transcription)."""
    words = {w.lower() for w in _TOKEN.findall(text)}
    return all(_mentioned(term, words) for term in terms)


def mentions(terms: list[str], text: str) -> bool:
    """Whether ``text`` mentions any of ``terms``."""
    words = {w.lower() for w in _TOKEN.findall(text)}
    return any(_mentioned(term, words) for term in terms)
