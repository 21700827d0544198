"""Which entity a name asked for means: "Путина", "Putin" or "Владимир Путин" -> ``person:владимир путин``.

A name is looked up by the consonant keys of its words (:func:`retrieval.names.consonant_key`; the index
files every entity under its words' keys, :mod:`retrieval.entities.index`), so that an inflected form or a
Latin spelling finds the Cyrillic entity. Of the entities found, those with the asked name's last word
(a surname, mostly) fit; the one with most of the asked words is meant, an organisation or place named
exactly as asked before one that is not ("США", not "Конгресс США"), a person whose name is not part of
another's before one whose name is ("Путин" alone, in an article that never gave the full name), then the
most named. Counted with a person: the names that are part of theirs when they are the most named person
those are part of, and the fuller names theirs is part of ("Владимир Владимирович Путин"); the rest are
other entities the name may mean ("Иванка Трамп" for "Trump"). Only people are named by part of their
name: "Европа" is not "Центральная Европа", nor "Россия" (whose consonant key is "Русь"'s) "Древняя Русь".

    wanted("Vladimir Putin") -> ["влдмр", "птн"]     # the keys to read
    resolve("Putin", found) -> Resolved("person:владимир путин", ("person:путин",), ())
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from retrieval.entities.article import Named
from retrieval.entities.canonical import identity
from retrieval.entities.index import Entity, word_keys
from retrieval.names import consonant_key


@dataclass(frozen=True, slots=True)
class Resolved:
    """The entity a name means, the entities counted with it, and other entities it may mean."""

    meant: str
    same: tuple[str, ...]
    others: tuple[str, ...]


def wanted(name: str) -> list[str]:
    """The consonant keys of the asked name's words (each word of two consonants or more), in order."""
    return list(dict.fromkeys(k for w in name.split() if len(k := consonant_key(w)) >= 2))


def resolve(name: str, found: Mapping[str, Entity]) -> Resolved | None:
    """The entity of ``found`` (entities filed under the name's word keys) the name means, or None."""
    asked = wanted(name)
    if not asked:
        return None
    own = identity(name)
    keys = {eid: _keys(entity) for eid, entity in found.items()}
    fitting = [eid for eid in found if asked[-1] in keys[eid]]
    if not fitting:
        return None

    parts = {e for e in fitting if any(_part_of(found[e], found[w]) for w in fitting if w != e)}

    def rank(eid: str) -> tuple[int, bool, bool, int, bool, str]:
        exact = eid.split(":", 1)[1] == own or own in _identities(found[eid])
        inexact_thing = not exact and found[eid].kind != "person"
        return (
            -len(set(asked) & keys[eid]),
            inexact_thing,
            eid in parts,
            -found[eid].articles,
            not exact,
            eid,
        )

    fitting.sort(key=rank)
    meant = fitting[0]
    same = tuple(
        eid
        for eid in fitting[1:]
        if likeliest_whole(eid, found) == meant or _part_of(found[meant], found[eid])
    )
    others = tuple(eid for eid in fitting[1:] if eid not in same)
    return Resolved(meant, same, others)


def _keys(entity: Entity) -> set[str]:
    return word_keys(Named(entity.kind, entity.name, "", entity.variants, 0))


def likeliest_whole(part: str, found: Mapping[str, Entity]) -> str | None:
    """The most named of the entities ``part`` is a part of (of its kind), if any."""
    wholes = [e for e in found if found[e].kind == found[part].kind and _part_of(found[part], found[e])]
    return max(wholes, key=lambda e: (found[e].articles, e), default=None)


def _part_of(part: Entity, whole: Entity) -> bool:
    """Whether ``part`` is a person named by fewer words of ``whole``'s name ("Путин" of "Владимир
    Путин"); an organisation or place is never a part of another."""
    if part.kind != "person" or whole.kind != "person":
        return False
    words, of = _name_keys(part), _name_keys(whole)
    return len(part.name.split()) < len(whole.name.split()) and bool(words) and words <= of


def _name_keys(entity: Entity) -> set[str]:
    return set(wanted(entity.name))


def _identities(entity: Entity) -> set[str]:
    return {identity(v) for v in (entity.name, *entity.variants)}
