"""Russian word forms: the one place that imports pymorphy3 (OpenCorpora's dictionaries, offline).

    nominative("Трампа") -> "Трамп"          normal_form("марта") -> "март"
    never_nominative("Дональда Трампа") -> True   is_numeral("девяти") -> True

The analyser loads on first use (~0.3 s); answers are remembered per word.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_WORD = re.compile(r"[А-Яа-яЁё]+")
_NAME_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn")


@functools.cache
def analyser() -> Any:
    """pymorphy3's analyser, loaded once."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=1 << 14)
def normal_form(word: str) -> str:
    """The dictionary form of the word's likeliest reading, lower-case."""
    return str(analyser().parse(word)[0].normal_form)


@functools.lru_cache(maxsize=1 << 14)
def nominative(word: str) -> str:
    """A name's nominative form in the word's own capitalisation ("Трампа" -> "Трамп"); a word that can
    be nominative already ("Петрова" of "Анна Петрова") and other words as they are."""
    parses = analyser().parse(word)
    if any(p.tag.case == "nomn" for p in parses if any(tag in p.tag for tag in _NAME_TAGS)):
        return word
    for parse in parses:
        if any(tag in parse.tag for tag in _NAME_TAGS):
            form = parse.inflect({"nomn"})
            return cased(form.word, word) if form is not None else word
    return word


@functools.lru_cache(maxsize=1 << 14)
def is_numeral(word: str) -> bool:
    """Whether the word is a numeral ("девяти", "четырьмя"), not a word that starts like one ("семья")."""
    return len(word) >= 3 and any(p.tag.POS == "NUMR" and p.score >= 0.2 for p in analyser().parse(word))


def never_nominative(text: str) -> bool:
    """Whether no word of a Russian name can be nominative ("Дональда Трампа", a possessor or object;
    not "Стив Уиткофф", who can be the doer)."""
    words = _WORD.findall(text)
    return bool(words) and all(_never_nominative(w) for w in words)


@functools.lru_cache(maxsize=1 << 14)
def _never_nominative(word: str) -> bool:
    parses = [p for p in analyser().parse(word) if p.score >= 0.05 and p.tag.case]
    return bool(parses) and all(p.tag.case != "nomn" for p in parses)


def cased(form: str, like: str) -> str:
    """``form`` in the capitalisation of ``like`` (all capitals, a capital first, or lower-case)."""
    if like.isupper() and len(like) > 1:
        return form.upper()
    if like[:1].isupper():
        return "-".join(part[:1].upper() + part[1:] for part in form.split("-"))
    return form
