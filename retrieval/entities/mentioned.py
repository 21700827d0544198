"""The entities a search's results name: each passage's, and the most mentioned among them, which
``newsbot search`` and ``/search`` show under the results and ``search --json`` carries.

    names = entity_names(store, passages)                 # entity id -> Entity, one read by id
    most_mentioned(passages, names)                       # [Counted("person:путин", "Владимир Путин", …)]
    passage_json(passage, names)["entities"]              # [{"name": "Владимир Путин", "kind": "person"}]

An article's entities come with its record, which the search reads anyway
(:attr:`~retrieval.records.Passage.entities`); only their names and kinds are read apart, by id, from the
entity index, and only when they are shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from retrieval.entities.index import Entity
from retrieval.entities.who import Counted
from retrieval.records import Passage
from retrieval.store.chunks import ChunkStore

SHOWN = 5
"""How many of the most mentioned entities the results show."""
LEAST = 2
"""The fewest results an entity must be named in to be shown among the most mentioned: one result's
names are that result's, not the results'."""


def entity_names(store: ChunkStore, passages: Sequence[Passage]) -> dict[str, Entity]:
    """The entities the articles of ``passages`` name, by id (one read of the entity index)."""
    wanted = dict.fromkeys(e for p in passages for e in p.entities)
    return store.collections.entities().entities(list(wanted)) if wanted else {}


def most_mentioned(
    passages: Sequence[Passage], names: Mapping[str, Entity], *, limit: int = SHOWN, least: int = LEAST
) -> list[Counted]:
    """The entities named in the most of ``passages``' articles (each article once), at least ``least``
    of them, most first (ties: the one the archive names more often, then by name). A person named by
    surname alone counts as the one full name among ``names`` that ends in it ("Путин" as "Владимир
    Путин"), as ``who`` finds them."""
    fuller = _by_surname(names)
    seen: dict[str, tuple[str, ...]] = {p.article_id: p.entities for p in passages}
    counts = Counter(
        e for entities in seen.values() for e in {fuller.get(e, e) for e in entities} if e in names
    )
    ranked = sorted(
        (e for e, n in counts.items() if n >= least),
        key=lambda e: (-counts[e], -names[e].articles, names[e].name),
    )
    return [Counted(e, names[e].name, names[e].kind, counts[e]) for e in ranked[:limit]]


def _by_surname(names: Mapping[str, Entity]) -> dict[str, str]:
    """Each person of ``names`` named by one word, to the one person of ``names`` whose full name ends in
    that word (none when two do: "Трамп" may be Donald or Ivanka)."""
    ending: dict[str, list[str]] = {}
    for eid, e in names.items():
        words = e.name.casefold().split()
        if e.kind == "person" and len(words) > 1:
            ending.setdefault(words[-1], []).append(eid)
    return {
        eid: full[0]
        for eid, e in names.items()
        if e.kind == "person"
        and len(e.name.split()) == 1
        and len(full := ending.get(e.name.casefold(), [])) == 1
    }
