"""The people, organisations and places an article names, each once, by one canonical name.

    article_entities("Бориса Джонсона встретили в Лондоне. Джонсон сказал…")
    -> (Named("person", "Борис Джонсон", "борис джонсон", ("Бориса Джонсона", "Джонсон"), 2),
        Named("place", "Лондон", "лондон", ("Лондоне",), 1))

Within an article the forms of a name are one entity: forms with the same dictionary words, forms whose
words differ only in their endings ("Скрипаль", "Скрипаля"), and a person's surname alone with the one full
name that ends in it ("Джонсон" with "Борис Джонсон"; with two Джонсоны in the article it stays apart).
The canonical name is the fullest form, in the nominative (:mod:`retrieval.entities.canonical`); its key
(:func:`~retrieval.entities.canonical.identity`) is what joins the entity across articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from retrieval.entities.adjectives import place_of
from retrieval.entities.canonical import cleaned, identity, nominative_name
from retrieval.entities.organizations import forms, institutions
from retrieval.entities.recognise import recognise

ENDING = 3
"""How many letters two forms of a word may differ in at their end ("Скрипаль", "Скрипалем")."""


@dataclass(frozen=True, slots=True)
class Named:
    """An entity of one article: its kind, canonical name and key, the forms it was written in and how
    many times it is mentioned."""

    kind: str
    name: str
    key: str
    variants: tuple[str, ...]
    mentions: int


KIND_OF = {"кремль": "organization", "белый дом": "organization", "евросоюз": "organization"}
"""Names the recogniser takes for places that news means as institutions ("Кремль заявил")."""
_NOT_NAMES_WORDS = (
    "сми интернет сеть twitter твиттер telegram телеграм facebook фейсбук instagram инстаграм whatsapp "
    "youtube ютуб wechat weibo covid-19"
)
NOT_NAMES = frozenset(_NOT_NAMES_WORDS.split())
"""Words the recogniser takes for organisations that name none (media, networks, a disease)."""
_WORD = re.compile(r"[А-Яа-яЁё][а-яё]+(?:-[а-яё]+)?")


def article_entities(text: str) -> tuple[Named, ...]:
    """Every entity ``text`` names, most mentioned first: what the recogniser finds, institutions named by
    a common noun (:mod:`retrieval.entities.organizations`), and places named by their adjective
    (:mod:`retrieval.entities.adjectives`) outside the names of places."""
    found = list(recognise(text))
    found += institutions(text, [(e.start, e.end) for e in found])
    found.sort(key=lambda e: e.start)
    mentions: list[tuple[int, str, str]] = []
    for entity, after in zip(found, [*found[1:], None], strict=False):
        said = forms(text, entity, after) if entity.kind == "organization" else [entity.text]
        for line in (line for form in said for line in form.split("\n")):  # a headline, a caption: two
            key = identity(line)
            if line.strip() and key not in NOT_NAMES:
                mentions.append((entity.start, KIND_OF.get(key, entity.kind), line))
    places = [(e.start, e.end) for e in found if e.kind == "place"]
    words = list(_WORD.finditer(text))
    for m, following in zip(words, [*words[1:], None], strict=False):
        if not _inside(m.start(), places) and place_of(m.group(0), following.group(0) if following else ""):
            mentions.append((m.start(), "place", m.group(0)))
    mentions.sort(key=lambda x: x[0])
    return entities_of((kind, said) for _, kind, said in mentions)


def _inside(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(lo <= at < hi for lo, hi in spans)


def entities_of(mentions: Iterable[tuple[str, str]]) -> tuple[Named, ...]:
    """``(kind, text)`` mentions grouped into entities (the grouping the module's doc describes)."""
    groups: list[_Group] = []
    for kind, raw in mentions:
        text = cleaned(kind, raw)
        if not text or not any(c.isalpha() for c in text):
            continue
        written = text
        if kind == "place" and " " not in text and (place := place_of(text)):
            text = place  # "российский": Россия
        key = identity(text)
        group = next((g for g in groups if g.kind == kind and g.same(key)), None)
        if group is None:
            group = _Group(kind)
            groups.append(group)
        group.add(key, text, written)
    groups = _surnames_joined(groups)
    named = [g.named() for g in groups]
    named.sort(key=lambda n: (-n.mentions, n.name))
    return tuple(named)


class _Group:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.keys: list[str] = []
        self.texts: list[str] = []  # each mention's name (a place's, for its adjective)
        self.written: list[str] = []  # each mention as written

    def same(self, key: str) -> bool:
        return any(_alike(key, k) for k in self.keys)

    def add(self, key: str, text: str, written: str) -> None:
        if key not in self.keys:
            self.keys.append(key)
        self.texts.append(text)
        self.written.append(written)

    def join(self, other: _Group) -> None:
        self.keys.extend(k for k in other.keys if k not in self.keys)
        self.texts.extend(other.texts)
        self.written.extend(other.written)

    def fullest(self) -> str:
        """The key with the most words, and of those the shortest (the uninflected form of a word the
        dictionary does not know is its shortest)."""
        return min(self.keys, key=lambda k: (-len(k.split()), len(k), k))

    def named(self) -> Named:
        key = self.fullest()
        forms = [t for t in self.texts if identity(t) == key]
        written = min(forms, key=lambda t: (len(t), t))
        variants = tuple(dict.fromkeys(self.written))
        return Named(self.kind, nominative_name(self.kind, written), key, variants, len(self.texts))


def _alike(a: str, b: str) -> bool:
    """Whether two keys are forms of one name: the same number of words, each pair equal or differing
    only in an ending of at most :data:`ENDING` letters after a common stem of four or more."""
    wa, wb = a.split(), b.split()
    return len(wa) == len(wb) and all(_same_word(x, y) for x, y in zip(wa, wb, strict=True))


def _same_word(x: str, y: str) -> bool:
    if x == y:
        return True
    stem = 0
    for cx, cy in zip(x, y, strict=False):
        if cx != cy:
            break
        stem += 1
    return stem >= 4 and len(x) - stem <= ENDING and len(y) - stem <= ENDING


def _surnames_joined(groups: list[_Group]) -> list[_Group]:
    """A person named by one word joined to the one full name of the article that ends (or starts) with
    it; when two full names do, it stays apart."""
    full = [g for g in groups if g.kind == "person" and len(g.fullest().split()) > 1]
    out: list[_Group] = []
    for group in groups:
        if group.kind == "person" and len(group.fullest().split()) == 1:
            word = group.fullest()
            hosts = [f for f in full if any(_same_word(word, w) for w in f.fullest().split()[-1:])]
            if not hosts:
                hosts = [f for f in full if _same_word(word, f.fullest().split()[0])]
            if len(hosts) == 1:
                hosts[0].join(group)
                continue
        out.append(group)
    return out
