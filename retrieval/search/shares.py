"""A timeline's counts as shares: each period's articles that mention the words, out of all the archive's
articles of that period (and, per outlet, out of that outlet's), because raw counts mislead when an
outlet or a month simply has more articles.

    volumes = period_volumes(timeline, store.archive_stats().article_days)
    share(timeline.periods[0].total, volumes[0].total)     # 0.25, or None for a period without articles

The volumes come from the archive's figures (articles per outlet and day, kept by ingestion:
:class:`retrieval.store.statistics.ArchiveStats`), not from reading articles, so a share costs no more
than the count. Within an outlet filter, "all articles" are those of the outlets it keeps.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from retrieval.records import day_number
from retrieval.search.timeline import Outlet, Timeline, next_period, outlet_of


class SharesUnknown(ValueError):
    """The archive's figures have no articles per day (written before they were kept). For users."""


@dataclass(frozen=True, slots=True)
class Volume:
    """How many dated articles the archive holds in a period: all, and per outlet label of a timeline."""

    start: date
    total: int
    by_outlet: dict[Outlet, int] = field(default_factory=dict)


def period_volumes(
    timeline: Timeline, article_days: Mapping[str, Mapping[int, int]] | None
) -> tuple[Volume, ...]:
    """The archive's articles in each of the ``timeline``'s periods, by its outlet labels (an outlet it
    does not show goes under :data:`~retrieval.search.timeline.OTHER`, articles without one under
    :data:`~retrieval.search.timeline.UNKNOWN`) from ``article_days`` (outlet -> day number -> articles;
    ``""``: no outlet). :class:`SharesUnknown` when the figures lack them."""
    if article_days is None:
        raise SharesUnknown(
            "this archive's figures do not count articles per day yet (it was ingested before they were "
            "kept); `newsbot ingest --rebuild` counts them"
        )
    sources = timeline.filters.sources if timeline.filters and timeline.filters.sources else None
    top = [o for o in timeline.outlets if o]
    starts = [day_number(p.start) for p in timeline.periods]
    end = next_period(timeline.periods[-1].start, timeline.granularity) if timeline.periods else None
    past = day_number(end) if end else 99999999
    counts: list[Counter[Outlet]] = [Counter() for _ in starts]
    for outlet, days in article_days.items():
        if sources is not None and outlet not in sources:
            continue
        label = outlet_of(outlet, top)
        for day, n in days.items():
            i = bisect_right(starts, day) - 1
            if i >= 0 and day < past:
                counts[i][label] += n
    return tuple(Volume(p.start, n.total(), dict(n)) for p, n in zip(timeline.periods, counts, strict=True))


def share(count: int, of: int) -> float | None:
    """``count`` out of ``of`` (None when ``of`` is none: a period without articles has no share)."""
    return count / of if of > 0 else None
