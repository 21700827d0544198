"""Search operators: which articles qualify, beside what ranks them.

    parse_operators('санкции "Белый дом" OR Кремль -Китай')
    -> Operators(text="санкции Белый дом Кремль", required=((Term("Белый дом", exact=True),
                 Term("Кремль", exact=False)),), excluded=(Term("Китай", exact=False),))

- ``"exact phrase"`` (or «…»): those words in that order, as written: no stemming, no transliteration
  (case and "ё"/"е" aside, and whatever punctuation stands between them);
- ``-word`` / ``-"phrase"``: leave out the articles that contain it, a word in any of its forms (its stem);
- ``A OR B`` (Russian ``ИЛИ``): articles with either; each side a word (any form) or a phrase.

The ranking stays the search's own: the words and phrases asked for (not those left out) are the text it
ranks by; the operators only decide which articles qualify (:meth:`Operators.qualifies`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.terms import tokenize

_TOKEN = re.compile(r'(?<!\S)(-?)(?:"([^"]*)"|«([^»]*)»|(\S+))')
_OR = frozenset({"or", "или"})
_WORD = re.compile(r"\w+")


class OperatorError(ValueError):
    """A query whose operators cannot be read (an unclosed quote, a lone OR)."""


@dataclass(frozen=True, slots=True)
class Term:
    """A word (matched in any form) or an exact phrase."""

    text: str
    exact: bool

    def found_in(self, words: tuple[str, ...], stems: frozenset[str]) -> bool:
        if self.exact:
            return _contains(words, _plain(self.text))
        wanted = tokenize(self.text)
        return bool(wanted) and all(s in stems for s in wanted)


@dataclass(frozen=True, slots=True)
class Operators:
    """A query read for its operators: ``text`` to rank by, and what an article must and must not hold."""

    text: str
    required: tuple[tuple[Term, ...], ...] = ()
    """Groups of which an article must hold one term each (a phrase alone is a group of one; ``A OR B``)."""
    excluded: tuple[Term, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.required or self.excluded)

    def qualifies(self, text: str) -> bool:
        """Whether an article's ``text`` holds a term of every required group and none excluded."""
        words = _plain(text)
        stems = frozenset(tokenize(text))
        if any(term.found_in(words, stems) for term in self.excluded):
            return False
        return all(any(term.found_in(words, stems) for term in group) for group in self.required)


@dataclass(frozen=True, slots=True)
class _Item:
    term: Term | None  # None: an OR
    left_out: bool = False


def parse_operators(query: str) -> Operators:
    """The operators of ``query`` (see the module's doc); a query without any ranks as it is."""
    if query.count('"') % 2 or query.count("«") != query.count("»"):
        raise OperatorError(f"an unclosed quote in {query!r}")
    items: list[_Item] = []
    for m in _TOKEN.finditer(query):
        minus, dq, gq, bare = m.groups()
        phrase = dq if dq is not None else gq
        if phrase is not None:
            if phrase.strip():
                items.append(_Item(Term(" ".join(phrase.split()), exact=True), bool(minus)))
        elif bare.lower() in _OR and not minus:
            items.append(_Item(None))
        elif minus and not bare.startswith("-"):
            items.append(_Item(Term(bare, exact=False), left_out=True))
        else:
            items.append(_Item(Term(m.group(0), exact=False)))
    return _grouped(items, query)


def _grouped(items: list[_Item], query: str) -> Operators:
    ranked: list[str] = []
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
        i += 1
    return Operators(" ".join(ranked), tuple(required), tuple(excluded))


def _plain(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower().replace("ё", "е")))


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    if not phrase:
        return False
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1) if words[i] == phrase[0])
