"""Search operators: which articles qualify, beside what ranks them.

    parse_operators('санкции "Белый дом" OR Кремль -Китай')
    -> Operators(text="санкции Белый дом Кремль", required=((Term("Белый дом", exact=True),
                 Term("Кремль", exact=False)),), excluded=(Term("Китай", exact=False),))

- ``"exact phrase"`` (or «…», “…”): those words in that order, as written: no stemming, no transliteration
  (case and "ё"/"е" aside, and whatever punctuation stands between them);
- ``-word`` / ``-"phrase"``: leave out the articles that contain it, a word in any of its forms (its
  stem, or a Russian word's dictionary form where the stemmer cuts two forms apart, "Китай" and "Китая";
  an English name also in Cyrillic letters, "-Johnson" leaves out «Джонсона», as search finds it:
  :mod:`retrieval.search.mentions`);
- ``A OR B`` (Russian ``ИЛИ``; in capitals: a lower-case "or" is a word of the question): articles with
  either; each side a word (any form) or a phrase.

A minus before a number ("-5 градусов") is the number's sign, not an exclusion.

The ranking stays the search's own: the words and phrases asked for (not those left out) are the text it
ranks by; the operators only decide which articles qualify (:meth:`Operators.qualifies`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.entities.morphology import analyser
from retrieval.search.filters import FilterError
from retrieval.search.mentions import NoWords, candidate_pattern, mention_terms, text_mentions
from retrieval.search.mentions import Term as Mention

_TOKEN = re.compile(r'(?<!\S)(-?)(?:"([^"]*)"|«([^»]*)»|“([^”]*)”|(\S+))')
_OR = frozenset({"OR", "ИЛИ"})
_WORD = re.compile(r"\w+")
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+")


class OperatorError(FilterError):
    """A query whose operators cannot be read (an unclosed quote, a lone OR, nothing but words left out);
    the edges say it as they say a filter's mistake."""


@dataclass(frozen=True, slots=True)
class Term:
    """A word (matched in any form, an English name also in Cyrillic letters) or an exact phrase."""

    text: str
    exact: bool


@dataclass(frozen=True, slots=True)
class Operators:
    """A query read for its operators: ``text`` to rank by, and what an article must and must not hold."""

    text: str
    required: tuple[tuple[Term, ...], ...] = ()
    """Groups of which an article must hold one term each (a phrase alone is a group of one; ``A OR B``)."""
    excluded: tuple[Term, ...] = ()
    words: tuple[str, ...] = ()
    """The words asked for outside any group: they rank, and a count (timeline) looks for them too."""

    @property
    def any(self) -> bool:
        return bool(self.required or self.excluded)

    @property
    def patterns(self) -> tuple[str, ...]:
        """Regular expressions (Rust and Python syntax alike) of the texts that may hold a term asked
        for in a group: a phrase as written, a side of an OR in any form
        (:func:`retrieval.search.mentions.candidate_pattern`). Search reads the chunks they match
        besides the nearest, so that what the operators ask for is found when the nearest miss it."""
        found: list[str] = []
        for term in (t for group in self.required for t in group):
            if term.exact:
                found.append(phrase_pattern(term.text))
                continue
            try:
                found += [candidate_pattern(part) for part in mention_terms(term.text)[:1]]
            except NoWords:
                continue
        return tuple(dict.fromkeys(found))

    def alternatives(self) -> list[str]:
        """Each set of words an article that qualifies mentions (in some form) at least: the words asked
        for with a term of every group, one set per choice of terms (what a count looks for)."""
        return [" ".join((*self.words, *(t.text for t in c))) for c in itertools.product(*self.required)]

    def decided(self, parts: Sequence[str]) -> bool | None:
        """What some parts of an article (chunks) decide: False when one holds a term left out, True
        when nothing is left out and each group is held by one of them, None when the whole text must
        tell (a term left out may stand elsewhere; a phrase may span two parts)."""
        terms = [t for group in self.required for t in group] + list(self.excluded)
        found = [_Found(part, terms) for part in parts]
        if any(f.holds(term) for f in found for term in self.excluded):
            return False
        if self.excluded:
            return None
        return all(any(f.holds(t) for f in found for t in group) for group in self.required) or None

    def qualifies(self, text: str) -> bool:
        """Whether an article's ``text`` holds a term of every required group and none excluded."""
        found = _Found(text, [t for group in self.required for t in group] + list(self.excluded))
        if any(found.holds(term) for term in self.excluded):
            return False
        return all(any(found.holds(term) for term in group) for group in self.required)


class _Found:
    """Which of ``terms`` a text holds: a phrase as written, a word in any form
    (:func:`retrieval.search.mentions.text_mentions`: by stem, an English name by its transcription),
    decided on the text's words that may be forms of it (:func:`_maybe`), not on the whole text."""

    def __init__(self, text: str, terms: list[Term]) -> None:
        self.words = _plain(text)
        self._forms: dict[str, bool] = {}
        for word in dict.fromkeys(t.text for t in terms if not t.exact):
            try:
                parts = mention_terms(word)
            except NoWords:  # only common words: nothing it could be found by
                parts = []
            self._forms[word] = bool(parts) and all(
                text_mentions([part], " ".join(_maybe(part).findall(text))) for part in parts
            )

    def holds(self, term: Term) -> bool:
        if term.exact:
            return _contains(self.words, _plain(term.text))
        if self._forms[term.text]:
            return True
        return _CYRILLIC_WORD.fullmatch(term.text) is not None and self._by_lemma(term.text)

    def _by_lemma(self, word: str) -> bool:
        """Whether a word of the text is a form of the Russian ``word`` that its stem misses ("Китая" of
        "Китай": the stemmer cuts them apart), by their dictionary forms; only the text's words that
        begin as it does are looked up."""
        wanted = _lemmas(word.lower())
        head = word.lower().replace("ё", "е")[:3]
        return any(_lemmas(w) & wanted for w in set(self.words) if w.startswith(head))


@functools.lru_cache(maxsize=1 << 10)
def _maybe(term: Mention) -> re.Pattern[str]:
    """The words of a text that may be forms of ``term``
    (:func:`retrieval.search.mentions.candidate_pattern`, whole words, case as written)."""
    return re.compile(candidate_pattern(term) + r"\w*")


@functools.lru_cache(maxsize=1 << 14)
def _lemmas(word: str) -> frozenset[str]:
    """The dictionary forms of every reading of a Russian word."""
    return frozenset(str(p.normal_form).replace("ё", "е") for p in analyser().parse(word))


@dataclass(frozen=True, slots=True)
class _Item:
    term: Term | None  # None: an OR
    left_out: bool = False


def parse_operators(query: str) -> Operators:
    """The operators of ``query`` (see the module's doc); a query without any ranks as it is."""
    if query.count('"') % 2 or query.count("«") != query.count("»") or query.count("“") != query.count("”"):
        raise OperatorError(f"an unclosed quote in {query!r}")
    items: list[_Item] = []
    for m in _TOKEN.finditer(query):
        minus, dq, gq, cq, bare = m.groups()
        phrase = next((q for q in (dq, gq, cq) if q is not None), None)
        if phrase is not None:
            if phrase.strip():
                items.append(_Item(Term(" ".join(phrase.split()), exact=True), bool(minus)))
        elif bare in _OR and not minus:
            items.append(_Item(None))
        elif minus and not bare.startswith("-") and not bare[0].isdigit():
            items.append(_Item(Term(bare, exact=False), left_out=True))
        else:
            items.append(_Item(Term(m.group(0), exact=False)))
    return _grouped(items, query)


def unquoted(query: str) -> str:
    """``query`` with the quotes of the phrases it asks for dropped (their words then match in any form,
    in any order); words and phrases left out, and OR, stay operators."""

    def plain(m: re.Match[str]) -> str:
        minus, dq, gq, cq, _ = m.groups()
        phrase = next((q for q in (dq, gq, cq) if q is not None), None)
        return phrase if phrase is not None and not minus else m.group(0)

    return _TOKEN.sub(plain, query)


def as_prose(query: str) -> str:
    """``query`` read as a question, not as operators: no quote marks, OR and ИЛИ as words, no minus
    before a word (what :meth:`~retrieval.answer.answerer.Answerer.ask` searches when a question's
    quotes or ORs cannot be read as operators: 'Какой сериал "Доктора Кто» …')."""
    words = (_QUOTES.sub("", word).lstrip("-") for word in query.split())
    return " ".join(w.lower() if w in _OR else w for w in words if w)


_QUOTES = re.compile(r'["«»“”]')


def _grouped(items: list[_Item], query: str) -> Operators:
    ranked: list[str] = []
    plain: list[str] = []
    required: list[tuple[Term, ...]] = []
    excluded: list[Term] = []
    i = 0
    while i < len(items):
        term = items[i].term
        if term is None:
            raise OperatorError(f"OR needs a word or phrase on each side in {query!r}")
        if items[i].left_out:
            excluded.append(term)
            i += 1
            continue
        group = [term]
        while i + 1 < len(items) and items[i + 1].term is None:
            after = items[i + 2] if i + 2 < len(items) else None
            if after is None or after.term is None or after.left_out:
                raise OperatorError(f"OR needs a word or phrase on each side in {query!r}")
            group.append(after.term)
            i += 2
        ranked += [t.text for t in group]
        if len(group) > 1 or term.exact:
            required.append(tuple(group))
        else:
            plain.append(term.text)
        i += 1
    if excluded and not ranked:
        raise OperatorError(f"nothing to look for in {query!r} but words left out: add a word to find")
    return Operators(" ".join(ranked), tuple(required), tuple(excluded), tuple(plain))


def _plain(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower().replace("ё", "е")))


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    if not phrase:
        return False
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1) if words[i] == phrase[0])


def phrase_pattern(phrase: str) -> str:
    """A case-insensitive regular expression (Rust and Python syntax alike) that finds ``phrase``: its
    words in that order, whatever punctuation and spaces stand between them, "е" also as "ё"."""
    words = ["".join("[её]" if ch == "е" else re.escape(ch) for ch in w) for w in _plain(phrase)]
    return r"(?i)\b" + r"\W+".join(words) + r"\b"
