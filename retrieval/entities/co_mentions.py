"""The entities named with one more often than chance: a lift over how often each is named at all.

Raw counts of co-mention always favour the most named ("Россия" is beside everyone). The lift of B beside
A is ``P(B | A) / P(B)``: the share of A's articles that name B over the share of all articles that do.
Only entities named with A in at least :data:`MIN_TOGETHER` articles are ranked (a lift from one article
is chance); ties go to the more frequent pair.

    beside("person:владимир путин", together={"person:дмитрий песков": 12, "place:россия": 40},
           articles_of={"person:дмитрий песков": 30, "place:россия": 9000}, own=50, total=20000)
    -> [Beside("person:дмитрий песков", 12, 160.0), Beside("place:россия", 40, 1.78)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

MIN_TOGETHER = 2


@dataclass(frozen=True, slots=True)
class Beside:
    """An entity named with another: its id, in how many of the other's articles, and the lift."""

    entity_id: str
    together: int
    lift: float


def beside(
    entity_id: str,
    together: Mapping[str, int],
    articles_of: Mapping[str, int],
    own: int,
    total: int,
    limit: int = 10,
) -> list[Beside]:
    """The entities ``together`` (id -> articles of ``entity_id``'s ``own`` that also name it) ranked by
    lift, given each one's article count (``articles_of``) among ``total`` articles."""
    if own <= 0 or total <= 0:
        return []
    out = []
    for other, n in together.items():
        everywhere = articles_of.get(other, 0)
        if other == entity_id or n < MIN_TOGETHER or everywhere <= 0:
            continue
        out.append(Beside(other, n, round((n / own) / (min(everywhere, total) / total), 2)))
    out.sort(key=lambda b: (-b.lift, -b.together, b.entity_id))
    return out[:limit]
