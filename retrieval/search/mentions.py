"""Does a text mention a word? Exactly, by stem; an English name also in its Cyrillic transcription.

    terms = mention_terms("Witkoff Париж")   # one Term per word (stop words dropped)
    candidate_pattern(terms[0])            # the store's regex: every chunk that may mention it
    text_mentions(terms, chunk.text)       # which of the terms the text really mentions

A word is mentioned when one of the text's words has the same stem (:func:`retrieval.terms.tokenize`,
the stems search uses): "Уиткоффа" and "Уиткоффом" mention "Уиткофф", "мира" mentions "мир", but
"пример" and "мировой" do not. A Latin word is also mentioned by a capitalised Cyrillic word spelt as
its transcription (:mod:`retrieval.names`: the consonants of "Witkoff" and "Уиткоффа" are both "ткф";
"Trump" and "Трамп" both "трмп"; "Johnson" also without its silent h, "джнсн" as "Джонсон"), when it
has at least three consonants ("rate" has two and is never
matched across scripts). The other way round (a Cyrillic word in Latin letters) is not matched.

Finding the candidates is the store's job (a regular expression over the chunks' text, case-insensitive,
which Chroma answers from its full-text index when the pattern has letters to look up); deciding is
done here, in Python, with the same tokenizer as search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.names import consonant_key, consonant_keys
from retrieval.terms import tokenize

_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[a-z]")
_CYRILLIC_NAME = re.compile(r"\b[А-ЯЁ][А-Яа-яЁё]*")
_VOWELS = "аеёиоуыэюяьъй"
"""What :func:`retrieval.names.consonant_key` leaves out."""
MIN_NAME_KEY = 3
"""Consonants a Latin word needs to be matched in Cyrillic letters (fewer match too many words)."""


class NoWords(ValueError):
    """Nothing to look for: the text holds only stop words or punctuation. The message is for users."""


@dataclass(frozen=True, slots=True)
class Term:
    """One word to look for: as typed, its stem, and (for a Latin word) the consonants of its Cyrillic
    transcriptions (none when it has too few to match)."""

    word: str
    stem: str
    name_keys: tuple[str, ...] = ()


def mention_terms(words: str) -> list[Term]:
    """The terms of what a person typed, one per distinct stem, in order; :class:`NoWords` when none."""
    terms: dict[str, Term] = {}
    for word in _WORD.findall(words):
        for stem in tokenize(word):
            if stem in terms:
                continue
            lowered = word.lower()
            latin = bool(_LATIN.search(lowered)) and not stem.isdigit()
            keys = consonant_keys(lowered) if latin else ()
            terms[stem] = Term(word, stem, tuple(k for k in keys if len(k) >= MIN_NAME_KEY))
    if not terms:
        raise NoWords(f"«{words}» has no words to look for, only common ones (в, и, the, of…)")
    return list(terms.values())


def candidate_pattern(term: Term) -> str:
    """A case-insensitive regular expression (Rust and Python syntax alike) that finds every text that
    may mention ``term``, and more: the words that start as its stem does, and (for a name) the words
    whose consonants start with its key."""
    alternatives = [_stem_prefix(term.stem), *(_skeleton(key) for key in term.name_keys)]
    return r"(?i)\b(?:" + "|".join(alternatives) + ")"


def _stem_prefix(stem: str) -> str:
    """What every word with this stem starts with: a Russian stem is its words' beginning (with ё or е
    where the stem has е); an English one may end in a letter its words change ("happi" for "happy",
    "make" for "making"), which is left out."""
    if _LATIN.search(stem):
        stem = stem.rstrip("ie") or stem
    return "".join("[её]" if ch == "е" else re.escape(ch) for ch in stem)


def _skeleton(key: str) -> str:
    """Words whose consonants (a doubled one once) start with ``key``."""
    vowels = f"[{_VOWELS}]*"
    return vowels + "".join(f"{ch}[{ch}{_VOWELS}]*" for ch in key[:-1]) + key[-1]


def text_mentions(terms: list[Term], text: str) -> frozenset[int]:
    """The indexes of the ``terms`` that ``text`` mentions."""
    stems = set(tokenize(text))
    found = {i for i, term in enumerate(terms) if term.stem in stems}
    if any(term.name_keys for i, term in enumerate(terms) if i not in found):
        names = [_name_keys(word) for word in _CYRILLIC_NAME.findall(text)]
        found |= {
            i
            for i, term in enumerate(terms)
            if any(_spelt_as(key, keys) for key in term.name_keys for keys in names)
        }
    return frozenset(found)


def _name_keys(word: str) -> tuple[str, str]:
    """The consonants of a Cyrillic word and of its stem."""
    stems = tokenize(word)
    return consonant_key(word), consonant_key(stems[0]) if stems else ""


def _spelt_as(key: str, word_keys: tuple[str, str]) -> bool:
    """Whether a word (its consonants, its stem's) is a form of the name with these consonants: the word
    has them all (and maybe an ending's), its stem no more than them ("Иванов", "Иванова", "Ивановым"
    are forms of "Ivanov"; "Ивановский" is not)."""
    word, stem = word_keys
    return bool(stem) and word.startswith(key) and key.startswith(stem)
