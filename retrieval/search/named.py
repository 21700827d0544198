"""The ``who:`` filter: the articles that name a person, organisation or place, in any form or script.

    named_entities(index, "Putin")                        # {"person:владимир путин": …, "person:путин": …}
    articles = named_articles(index, "Путина", filters)   # every article naming him within the dates

The name resolves as ``newsbot who`` resolves it (:func:`retrieval.entities.lookup.resolve`: an inflected
form or a Latin spelling finds the Cyrillic entity; the parts of its name counted with it), and its
articles are read from the entity index's month postings, by id (no scans), within the filter's dates.
A name nobody in the archive bears is a :class:`UnknownName`, which names the nearest names.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.entities.index import Entity
from retrieval.entities.lookup import resolve
from retrieval.entities.who import Index, Window
from retrieval.records import SearchFilters
from retrieval.search.filters import FilterError

NEAREST = 5
"""How many of the nearest names an unknown name's message lists."""


class UnknownName(FilterError):
    """A ``who:`` name no article names; the message lists the nearest names."""

    def __init__(self, name: str, nearest: Sequence[str]) -> None:
        hint = f" Nearest names: {', '.join(nearest)}" if nearest else ""
        super().__init__(f"No article names «{name}».{hint}")
        self.name = name
        self.nearest = tuple(nearest)


def named_entities(index: Index, name: str) -> dict[str, Entity]:
    """The entities ``name`` means, by id: the one meant and those counted with it (UnknownName: none)."""
    found = index.candidates(name)
    resolved = resolve(name, found)
    if resolved is None:
        nearest = sorted(found.values(), key=lambda e: (-e.articles, e.name))
        raise UnknownName(name, [e.name for e in nearest[:NEAREST]])
    return {eid: found[eid] for eid in (resolved.meant, *resolved.same)}


def named_articles(index: Index, name: str, filters: SearchFilters | None = None) -> frozenset[str]:
    """The ids of the articles that name ``name``'s entity, within ``filters``' dates and outlets."""
    filters = filters or SearchFilters()
    window = Window(filters.since, filters.until)
    found = named_entities(index, name)
    outlets = {s.casefold() for s in filters.sources}
    ids: set[str] = set()
    for eid, entity in found.items():
        for row in index.articles(eid, window.months(list(entity.months)), limit=None):
            if window.keeps(row) and (not outlets or row[2].casefold() in outlets):
                ids.add(row[0])
    return frozenset(ids)
