"""When was it in the news? The articles that mention some words, counted per week or month by outlet.

    timeline = count_timeline(store, "Уиткофф", SearchFilters(since=date(2025, 10, 1)))
    timeline.total, timeline.busiest, timeline.earliest, timeline.periods
    compared = count_timelines(store, ["Путин", "Трамп"])   # one timeline each, on the same periods

Counted exactly, not estimated from the best matches: every chunk that may mention a word is read from
the store (:meth:`ChunkStore.matching`) and checked with
:func:`retrieval.search.mentions.text_mentions`; an article counts once, when its visible version
mentions every word (in any of its chunks). Only per-article facts are kept, never the chunks.

Periods follow the span of the dates shown (the filter's, where it sets them, else the first and last
mention): weeks (starting on Monday) up to :data:`WEEKS_UP_TO` days, months up to :data:`MONTHS_UP_TO`
days, years beyond (so that no span, up to the whole calendar, makes more than some hundreds of bars).
Every period between the first and the last is listed, empty ones too. Each period's articles are split
by outlet: the :data:`TOP_OUTLETS` outlets with the most articles, then :data:`OTHER` (the rest), then
:data:`UNKNOWN` (articles without an outlet). Timelines compared (:func:`count_timelines`, up to
:data:`MOST_COMPARED`) share one span, granularity and list of periods: that of all their dates.
Undated articles are counted apart (``undated``; a date filter leaves them out), and so are those
dated outside the archive's calendar (:data:`retrieval.search.dates.CALENDAR`: 9999-12-31, 0001-01-01,
which a store ingested before article dates were checked may hold).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from retrieval.records import Chunk, SearchFilters
from retrieval.search.dates import CALENDAR
from retrieval.search.mentions import Term, candidate_pattern, text_mentions
from retrieval.search.qualifying import counted
from retrieval.store.chunks import ChunkStore

WEEKS_UP_TO = 183
"""The longest span (in days) counted by week; a longer one is counted by month..."""
MONTHS_UP_TO = 50 * 365
"""...up to fifty years (600 months); a longer one by year."""
TOP_OUTLETS = 5
OTHER = ""
"""The outlet label of the articles of the outlets outside the top outlets."""
UNKNOWN: None = None
"""The outlet label of the articles without an outlet."""
Outlet = str | None
"""An outlet label: an outlet's name, :data:`OTHER` or :data:`UNKNOWN`."""
EARLIEST = 3
MOST_COMPARED = 5
"""Queries one comparison counts at most."""


class TooManyQueries(ValueError):
    """More queries than one comparison counts (:data:`MOST_COMPARED`). The message is for users."""


@dataclass(frozen=True, slots=True)
class Mention:
    """An article that mentions the words."""

    article_id: str
    title: str
    date: date | None
    source: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class Period:
    """A week (from its Monday) or a month (from its first day) and its articles by outlet label."""

    start: date
    by_outlet: dict[Outlet, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_outlet.values())


@dataclass(frozen=True, slots=True)
class Timeline:
    words: tuple[str, ...]
    """The words looked for, as typed (one per distinct stem); an article mentions all of them."""
    granularity: str
    """``week``, ``month`` or ``year`` (``""`` when no dated article mentions them)."""
    periods: tuple[Period, ...]
    outlets: tuple[Outlet, ...]
    """The outlet labels in stacking order: the top outlets by articles, then :data:`OTHER` and
    :data:`UNKNOWN` if any."""
    total: int
    """Every article that mentions the words, undated ones included."""
    undated: int
    earliest: tuple[Mention, ...]
    filters: SearchFilters | None = None
    query: str = ""
    """What was typed."""

    @property
    def busiest(self) -> Period | None:
        """The period with the most articles (the earliest of equals); None when none has any."""
        busiest = max(self.periods, key=lambda p: p.total, default=None)
        return busiest if busiest is not None and busiest.total else None


def count_timeline(store: ChunkStore, words: str, filters: SearchFilters | None = None) -> Timeline:
    """The timeline of the articles within ``filters`` that mention every one of ``words``
    (:class:`~retrieval.search.mentions.NoWords` when ``words`` holds none to look for)."""
    terms, mentions = _found(store, words, filters)
    return build_timeline(terms, mentions, filters, query=words)


def count_timelines(
    store: ChunkStore, queries: Sequence[str], filters: SearchFilters | None = None
) -> list[Timeline]:
    """The timelines of up to :data:`MOST_COMPARED` queries on the same periods, in the order given
    (:class:`~retrieval.search.mentions.NoWords` when one holds no words to look for,
    :class:`TooManyQueries` beyond :data:`MOST_COMPARED`)."""
    if len(queries) > MOST_COMPARED:
        raise TooManyQueries(f"at most {MOST_COMPARED} queries are compared, not {len(queries)}")
    if not queries:
        raise ValueError("no query to count")
    found = [(query, *_found(store, query, filters)) for query in queries]
    span = dated_span(m for _, _, ms in found for m in ms)
    return [build_timeline(terms, ms, filters, query=query, span=span) for query, terms, ms in found]


def _found(store: ChunkStore, query: str, filters: SearchFilters | None) -> tuple[list[Term], list[Mention]]:
    """The words of ``query`` and the articles that count: its operators and ``who:`` decide which
    (:func:`retrieval.search.qualifying.counted`)."""
    return counted(store, query, filters, lambda terms: find_mentions(store, terms, filters))


def dated_span(mentions: Iterable[Mention]) -> tuple[date, date] | None:
    """The first and last date of the ``mentions`` within the calendar (None when none has one)."""
    days = [m.date for m in mentions if m.date is not None and m.date in CALENDAR]
    return (min(days), max(days)) if days else None


def find_mentions(
    store: ChunkStore, terms: list[Term], filters: SearchFilters | None = None
) -> list[Mention]:
    """The visible articles within ``filters`` that mention every one of ``terms``, in no order."""
    found: dict[tuple[str, str], set[int]] = {}  # (article, version) -> the terms its chunks mention
    facts: dict[str, Chunk] = {}  # article -> one of its chunks (title, date, outlet, link)
    for i, term in enumerate(terms):
        for stored in store.matching(candidate_pattern(term), filters):
            if text_mentions([term], stored.chunk.text):
                found.setdefault((stored.chunk.article_id, stored.version), set()).add(i)
                facts.setdefault(stored.chunk.article_id, _fact(stored.chunk))
    every = set(range(len(terms)))
    complete = {key for key, seen in found.items() if seen == every}
    visible = store.versions(sorted({aid for aid, _ in complete}))
    return [_mention(facts[aid]) for aid, version in sorted(complete) if visible.get(aid) == version]


def _fact(chunk: Chunk) -> Chunk:
    """What an article's record keeps of a chunk: no text."""
    return Chunk(chunk.article_id, 0, "", 0, 0, chunk.title, chunk.date, chunk.url, chunk.source)


def _mention(chunk: Chunk) -> Mention:
    return Mention(chunk.article_id, chunk.title, chunk.date, chunk.source, chunk.url)


def build_timeline(
    terms: list[Term],
    mentions: list[Mention],
    filters: SearchFilters | None = None,
    *,
    query: str = "",
    span: tuple[date, date] | None = None,
) -> Timeline:
    """The counts of ``mentions`` per period and outlet (pure), over the filter's dates where it sets
    them, else over ``span`` (by default the first and last of the ``mentions``' dates)."""
    dated = sorted((m for m in mentions if m.date is not None and m.date in CALENDAR), key=_by_date)
    words = tuple(t.word for t in terms)
    undated = len(mentions) - len(dated)
    span = span or dated_span(dated)
    if span is None:
        return Timeline(words, "", (), (), len(mentions), undated, (), filters, query)
    first = (filters.since if filters else None) or span[0]
    last = (filters.until if filters else None) or span[1]
    days = (last - first).days
    granularity = "week" if days <= WEEKS_UP_TO else "month" if days <= MONTHS_UP_TO else "year"
    counts = Counter(m.source for m in dated if m.source)
    top = [s for s, _ in sorted(counts.items(), key=lambda sn: (-sn[1], sn[0]))[:TOP_OUTLETS]]
    counts_by_period: dict[date, Counter[Outlet]] = {
        s: Counter() for s in period_starts(first, last, granularity)
    }
    for m in dated:
        counts_by_period[period_start(_date(m), granularity)][outlet_of(m.source, top)] += 1
    periods = tuple(Period(start, dict(n)) for start, n in counts_by_period.items())
    outlets = (*top, *(o for o in (OTHER, UNKNOWN) if any(o in p.by_outlet for p in periods)))
    earliest = tuple(dated[:EARLIEST])
    return Timeline(words, granularity, periods, outlets, len(mentions), undated, earliest, filters, query)


def outlet_of(source: str | None, top: Collection[str]) -> Outlet:
    """The label an article of ``source`` is counted under, given the ``top`` outlets."""
    if not source:
        return UNKNOWN
    return source if source in top else OTHER


def _by_date(m: Mention) -> tuple[date, str, str]:
    return _date(m), m.title, m.article_id


def _date(m: Mention) -> date:
    assert m.date is not None
    return m.date


def period_start(day: date, granularity: str) -> date:
    """The first day of the week (Monday), month or year that holds ``day``."""
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "year":
        return day.replace(month=1, day=1)
    return day.replace(day=1)


def period_starts(first: date, last: date, granularity: str) -> list[date]:
    """The first days of every period from the one holding ``first`` to the one holding ``last`` (the
    calendar's last period, that of 9999-12-31, ends the list instead of overflowing past it)."""
    starts = []
    start: date | None = period_start(first, granularity)
    while start is not None and start <= last:
        starts.append(start)
        start = next_period(start, granularity)
    return starts


def next_period(start: date, granularity: str) -> date | None:
    """The first day of the period after the one that starts on ``start``; None past the calendar's last."""
    if granularity == "week":
        return start + timedelta(days=7) if start <= date.max - timedelta(days=7) else None
    if granularity == "month" and start.month < 12:
        return start.replace(month=start.month + 1)
    return start.replace(year=start.year + 1, month=1) if start.year < date.max.year else None
