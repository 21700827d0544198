"""A story's pickup: who ran it first and when, who followed and how much later, and which outlets
active around it never ran it.

    pickup = story_pickup(store, info)        # info: a visible article of the story
    pickup.first, pickup.copies, pickup.absent

A story is the near-duplicate articles the store groups as it writes them (:mod:`retrieval.store.stories`);
its pickup reads every one of its visible articles (:meth:`ChunkStore.whole_story`). The store keeps an
article's day, not its hour, so a lag is counted in whole days (``after_hours`` 0, 24, 48, …); copies of
one day keep the order they were ingested in, and an undated copy comes last with no lag.

The outlets that could have run it are those with an article dated within :data:`WINDOW_DAYS` days
either side of the first copy's day (a week centred on it, not the calendar week, so that a story of a
Sunday does not lose the Monday after it), as the archive's figures count them (dated articles per
outlet and day, :attr:`ArchiveStats.article_days`: no article is read). An archive whose figures predate
that count is asked instead, one read of at most one record per outlet of the archive
(:meth:`ChunkStore.outlets_active`). Articles without an outlet are none of them. An undated first copy
has no window, and then no outlet is named absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from retrieval.records import ArticleInfo, Copy, day_number

if TYPE_CHECKING:
    from retrieval.store.chunks import ChunkStore

WINDOW_DAYS = 3
"""An outlet is active around a story when it has an article dated this many days before the first
copy's day, or after it, or between."""


@dataclass(frozen=True, slots=True)
class Ran:
    """One copy of a story as its pickup lists it: the article, and how long after the first copy it
    ran (whole days, in hours; None when either is undated)."""

    copy: Copy
    after_hours: int | None


@dataclass(frozen=True, slots=True)
class Pickup:
    """A story's pickup: every copy, the first first (its ``after_hours`` 0), and the outlets active
    from ``since`` to ``until`` that ran none of it, sorted."""

    story: str
    copies: tuple[Ran, ...]
    absent: tuple[str, ...]
    since: date | None = None
    until: date | None = None

    @property
    def first(self) -> Ran:
        return self.copies[0]

    @property
    def followers(self) -> tuple[Ran, ...]:
        return self.copies[1:]


def pickup_of(store: ChunkStore, article_id: str) -> Pickup | None:
    """The pickup of the story the article with this id tells; None when no visible article has it."""
    info = store.article_infos([article_id]).get(article_id)
    return story_pickup(store, info) if info is not None else None


def story_pickup(store: ChunkStore, info: ArticleInfo) -> Pickup:
    """The pickup of the story this visible article tells (two small reads and one per outlet)."""
    story = store.whole_story(info)
    copies = _ran(story.copies)
    first_day = copies[0].copy.date
    if first_day is None:
        return Pickup(story.id, copies, ())
    since, until = first_day - timedelta(days=WINDOW_DAYS), first_day + timedelta(days=WINDOW_DAYS)
    ran = {c.source for c in story.copies if c.source}
    stats = store.archive_stats()
    others = [o for o in stats.outlets if o not in ran]
    if stats.article_days is not None:  # the figures count articles per outlet and day
        lo, hi = day_number(since), day_number(until)
        absent = [o for o in others if any(lo <= d <= hi for d in stats.article_days.get(o, {}))]
    else:  # figures written before that count: a read per outlet
        absent = store.outlets_active(since, until, others) if others else []
    return Pickup(story.id, copies, tuple(sorted(absent)), since, until)


def _ran(copies: tuple[Copy, ...]) -> tuple[Ran, ...]:
    """The copies, earliest first (as the store orders a story: by day, then as ingested), each with its
    lag behind the first."""
    first = copies[0].date
    return tuple(
        Ran(c, (c.date - first).days * 24 if c.date is not None and first is not None else None)
        for c in copies
    )
