"""One name for each entity: what a mention looks like cleaned, its nominative form and its identity key.

    cleaned("person", "президент Франции Эммануэль Макрон") -> "Эммануэль Макрон"   (no title before it)
    cleaned("person", "Джей Зи (Jay-Z)") -> "Джей Зи"                                (no gloss after it)
    nominative_name("person", "Бориса Джонсона") -> "Борис Джонсон"
    nominative_name("organization", "Верховного суда Испании") -> "Верховный суд Испании"
    identity("Бориса Джонсона") == identity("Борис Джонсон") == "борис джонсон"

A person's every word is inflected; an organisation or place only up to its head noun ("суда" of "Верховного
суда Испании"), the words after it stay as they stand (a genitive that belongs to the name). Words the
dictionary does not know (foreign surnames, mostly) are left as written: the mentions of one article are
joined by their forms (:mod:`retrieval.entities.article`), which chooses the shortest form of such a word.
"""

from __future__ import annotations

import functools
import re

from retrieval.entities.morphology import analyser, cased

_WORD = re.compile(r"[\w][\w'’-]*")
_GLOSS = re.compile(r"\s*[(\[«\"“].*$")
_SPACE = re.compile(r"\s+")
_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})


def cleaned(kind: str, text: str) -> str:
    """The mention without what the recogniser took in around the name: a gloss in brackets or quotes
    after it, and for a person the lower-case words before and after (titles, a verb)."""
    text = _SPACE.sub(" ", _GLOSS.sub("", text)).strip(" ,.;:-—–")
    if kind != "person":
        return text
    words = text.split(" ")
    while words and (not words[0][:1].isupper() or (len(words) > 1 and _title(words[0]))):
        words.pop(0)
    while words and (not words[-1][:1].isupper() or (len(words) > 1 and _not_a_name(words[-1]))):
        words.pop()
    return " ".join(words)


def _title(word: str) -> bool:
    """A word no person is named by, only called ("Император", "Папа", "Мадам")."""
    return _is_cyrillic(word) and analyser().word_is_known(word) and not _may_name(word)


def _not_a_name(word: str) -> bool:
    """A word that ends a person's mention without naming them: an adjective or a verb ("уйти")."""
    if not _title(word):
        return False
    return bool(analyser().parse(word)[0].tag.POS != "NOUN")


@functools.lru_cache(maxsize=1 << 15)
def _may_name(word: str) -> bool:
    return any(_PERSON_TAGS & p.tag.grammemes for p in analyser().parse(word))


def identity(text: str) -> str:
    """The key that joins the forms of one name: each word's dictionary form, lower-case, "ё" as "е"."""
    return " ".join(_lemma(w) for w in _WORD.findall(text))


def nominative_name(kind: str, text: str) -> str:
    """The name in the nominative, in its own capitalisation (see the module's doc)."""
    words = text.split(" ")
    if kind == "person":
        return " ".join(_nominative(w, person=True) for w in words)
    out: list[str] = []
    for i, word in enumerate(words):
        form = _nominative(word, person=False)
        out.append(form)
        if _is_noun(word):  # the head: what follows it is not inflected with it
            return " ".join(out + words[i + 1 :])
    return " ".join(out)


@functools.lru_cache(maxsize=1 << 15)
def _lemma(word: str) -> str:
    word = word.replace("ё", "е").replace("Ё", "Е")
    if not _is_cyrillic(word):
        return word.lower()
    morph = analyser()
    parses = morph.parse(word)
    named = [p for p in parses if _PERSON_TAGS & p.tag.grammemes or "Geox" in p.tag or "Orgn" in p.tag]
    if named:
        return str(named[0].normal_form).replace("ё", "е")
    if not morph.word_is_known(word):
        return word.lower()
    return str(parses[0].normal_form).replace("ё", "е")


@functools.lru_cache(maxsize=1 << 15)
def _nominative(word: str, *, person: bool) -> str:
    if not _is_cyrillic(word):
        return word
    morph = analyser()
    parses = [p for p in morph.parse(word) if p.tag.POS in ("NOUN", "ADJF")]
    if not morph.word_is_known(word) and not any("Geox" in p.tag for p in parses[:1]):
        return word
    if person:
        parses = [p for p in parses if _PERSON_TAGS & p.tag.grammemes] or parses
    if not parses or any(p.tag.case == "nomn" for p in parses[:1]):
        return word
    form = parses[0].inflect({"nomn"})
    return cased(form.word, word) if form is not None else word


def _is_noun(word: str) -> bool:
    if not _is_cyrillic(word):
        return True
    parses = analyser().parse(word)
    return bool(parses) and parses[0].tag.POS == "NOUN"


def _is_cyrillic(word: str) -> bool:
    return any("а" <= c.lower() <= "я" or c in "ёЁ" for c in word)
