"""Which entity a name asked for means: "Путина", "Putin" or "владимир путин" -> ``person:владимир путин``.

A name is looked up by the consonant keys of its words (:func:`retrieval.names.consonant_key`; the index
files every entity under its words' keys, :mod:`retrieval.entities.index`), so that an inflected form or a
Latin spelling finds the Cyrillic entity. Of the entities found, those that have every asked word come
first: the one whose key is the asked name's own, then by how many articles name them.

    wanted("Putin") -> ("трмп"...)   # the keys to read
    ranked("Putin", found) -> ["person:владимир путин", "person:путин"]
"""

from __future__ import annotations

from collections.abc import Mapping

from retrieval.entities.article import Named
from retrieval.entities.canonical import identity
from retrieval.entities.index import Entity, word_keys
from retrieval.names import consonant_key


def wanted(name: str) -> list[str]:
    """The consonant keys of the asked name's words (each word of two consonants or more)."""
    return sorted({k for w in name.split() if len(k := consonant_key(w)) >= 2})


def ranked(name: str, found: Mapping[str, Entity]) -> list[str]:
    """The ids of ``found`` (entities filed under the name's word keys) that have every asked word, best
    first."""
    asked = set(wanted(name))
    own = identity(name)
    fitting = []
    for eid, entity in found.items():
        keys = word_keys(Named(entity.kind, entity.name, "", entity.variants, 0))
        if asked and asked <= keys:
            exact = eid.split(":", 1)[1] == own or own in _identities(entity)
            fitting.append((not exact, -entity.articles, eid))
    return [eid for *_, eid in sorted(fitting)]


def _identities(entity: Entity) -> set[str]:
    return {identity(v) for v in (entity.name, *entity.variants)}
