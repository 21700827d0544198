"""The entity index's records, and how filing or unfiling articles changes them: pure, nothing here talks to
Chroma (the store keeps the records in the archive's ``-entities`` collection).

Records, each read by its id (no scans on the question path):

``e:<kind>:<key>``  an entity (:class:`Entity`): canonical name, the forms seen, how many articles name it,
                    per month and per outlet
``p:<kind>:<key>:<YYYYMM>``  the articles of that month that name it: ``[article id, day, outlet]``
                    (month ``undated`` for articles without a date)
``w:<consonant key>``  the entities one of whose words has that consonant key (:func:`retrieval.names.
                    consonant_key`): how "Putin" or "Путина" finds "Владимир Путин"
``m:<YYYYMM>``      how many articles of the month name each entity (the most named of a period);
                    ``m:<YYYYMM>|<outlet>`` the same of one outlet

    delta = changes(added=[Filed("a1", "2025-03-02", "ТАСС", entities)], removed=[])
    summary = delta.entities["person:владимир путин"].applied(None)   # the new record's fields
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from retrieval.entities.article import Named
from retrieval.names import consonant_key

ENTITY = "e:"
POSTED = "p:"
WORD = "w:"
MONTH = "m:"
UNDATED = "undated"
VARIANTS_KEPT = 20
"""The forms of a name an entity keeps (the most seen first)."""


def entity_id(kind: str, key: str) -> str:
    """``person:владимир путин``: an entity's id in every record that names it."""
    return f"{kind}:{key}"


def month_of(day: str | None) -> str:
    """``2025-03-02`` -> ``202503``; no day -> ``undated``."""
    return day[:4] + day[5:7] if day and len(day) >= 7 else UNDATED


def tally_of(month: str, outlet: str | None = None) -> str:
    """The id (without its prefix) of a month's tally of entities, of all outlets or of one:
    ``202503`` or ``202503|тасс``."""
    return f"{month}|{outlet.casefold()}" if outlet else month


def word_keys(named: Named) -> set[str]:
    """The consonant keys of the name's words and of every form seen (a lookup by any of them finds it)."""
    words = {w for text in (named.name, *named.variants) for w in text.split()}
    return {k for w in words if len(k := consonant_key(w)) >= 2}


@dataclass(frozen=True, slots=True)
class Filed:
    """An article as the index files it: its id, day (``YYYY-MM-DD`` or None), outlet and entities."""

    article_id: str
    day: str | None
    outlet: str
    entities: tuple[Named, ...]


@dataclass
class EntityDelta:
    """What filing and unfiling articles changes in one entity's record."""

    kind: str
    name: str = ""
    variants: Counter[str] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    added: dict[str, list[list[str]]] = field(default_factory=lambda: defaultdict(list))
    """month -> ``[article id, day, outlet]`` filed"""
    removed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """month -> article ids unfiled"""

    def applied(self, current: Mapping[str, Any] | None) -> dict[str, Any] | None:
        """The entity record's metadata after this change (None: no article names it any more)."""
        before = Entity.from_metadata(current) if current else None
        months = Counter(before.months if before else {})
        months.update(self.months)
        months = Counter({m: n for m, n in months.items() if n > 0})
        if not months:
            return None
        outlets = Counter(before.outlets if before else {})
        outlets.update(self.outlets)
        variants = Counter(dict.fromkeys(before.variants, 1) if before else {})
        variants.update(self.variants)
        return Entity(
            kind=self.kind,
            name=self.name or (before.name if before else ""),
            variants=tuple(v for v, _ in variants.most_common(VARIANTS_KEPT)),
            months={m: months[m] for m in sorted(months)},
            outlets={o: n for o, n in outlets.most_common() if n > 0},
        ).metadata()


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity's record: who or what, the forms seen, how many articles name it per month and outlet."""

    kind: str
    name: str
    variants: tuple[str, ...]
    months: Mapping[str, int]
    outlets: Mapping[str, int]

    @property
    def articles(self) -> int:
        return sum(self.months.values())

    def metadata(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "variants": json.dumps(list(self.variants), ensure_ascii=False),
            "months": json.dumps(dict(self.months)),
            "outlets": json.dumps(dict(self.outlets), ensure_ascii=False),
            "articles": self.articles,
        }

    @classmethod
    def from_metadata(cls, meta: Mapping[str, Any]) -> Entity:
        return cls(
            kind=str(meta.get("kind", "")),
            name=str(meta.get("name", "")),
            variants=tuple(json.loads(str(meta.get("variants") or "[]"))),
            months={str(k): int(v) for k, v in json.loads(str(meta.get("months") or "{}")).items()},
            outlets={str(k): int(v) for k, v in json.loads(str(meta.get("outlets") or "{}")).items()},
        )


@dataclass
class Delta:
    """Every record a change touches: entities, their month postings, word keys and month tallies."""

    entities: dict[str, EntityDelta] = field(default_factory=dict)
    words: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    """consonant key -> entity ids to add (a word key is never unfiled: a lookup checks the entity)"""
    months: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    """month tally (:func:`tally_of`) -> entity id -> change in its article count"""


def changes(added: Iterable[Filed], removed: Iterable[Filed]) -> Delta:
    """What filing ``added`` and unfiling ``removed`` articles (an update is both) changes."""
    delta = Delta()
    for sign, articles in ((-1, removed), (1, added)):
        for article in articles:
            month = month_of(article.day)
            for named in article.entities:
                eid = entity_id(named.kind, named.key)
                entry = delta.entities.setdefault(eid, EntityDelta(named.kind))
                entry.months[month] += sign
                entry.outlets[article.outlet] += sign
                delta.months[month][eid] += sign
                if article.outlet:
                    delta.months[tally_of(month, article.outlet)][eid] += sign
                if sign > 0:
                    entry.name = named.name
                    entry.variants.update(dict.fromkeys(named.variants, named.mentions))
                    entry.added[month].append([article.article_id, article.day or "", article.outlet])
                    for key in word_keys(named):
                        delta.words[key].add(eid)
                else:
                    entry.removed[month].add(article.article_id)
    return delta


def reposted(
    current: Sequence[Sequence[str]], add: Sequence[Sequence[str]], drop: set[str]
) -> list[list[str]]:
    """A month's postings after a change: ``drop`` ids out, ``add`` rows in (an id once), newest first."""
    gone = drop | {row[0] for row in add}
    rows = [list(row) for row in current if row[0] not in gone] + [list(row) for row in add]
    return sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)
