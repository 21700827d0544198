"""``who`` and the most named, read from an archive's store: what ``newsbot who`` / ``/who`` and ``newsbot
entities`` / ``/entities`` ask, each in one call.

    window = window_of(SearchFilters(since=date(2025, 1, 1)))
    found = who_in(store, "Putin", window)              # a Report, or NotMentioned with the nearest names
    page = profile(store, "Putin", window)              # /who: the report, its best articles, its months
    named = most_named_in(store, window, kind="person") # /entities

The best articles of a name are those among its newest :data:`BEST_FROM` whose title names it (in a form
seen), then the rest, newest first. Its months are drawn as ``/timeline`` draws a query's weeks or months
(:class:`~retrieval.search.timeline.Timeline`, bars stacked by outlet), from the index's postings: one
bar a month from the first mention to the last.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from retrieval.entities.index import UNDATED
from retrieval.entities.most_named import most_named
from retrieval.entities.who import Counted, Fact, Report, Window, who
from retrieval.records import SearchFilters
from retrieval.search.filters import FilterError
from retrieval.search.timeline import OTHER, TOP_OUTLETS, Period, Timeline, period_starts
from retrieval.store.chunks import ChunkStore
from retrieval.store.entities import article_facts

NEAREST = 5
"""Names offered for one nobody mentions."""
BEST = 5
BEST_FROM = 50
"""A name's best articles are chosen among its newest ``BEST_FROM``."""


@dataclass(frozen=True, slots=True)
class NotMentioned:
    """A name no article (within the window) mentions, and the known names nearest to it, most named first."""

    name: str
    nearest: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Profile:
    """What ``/who`` shows: the report, the best articles, and the months as a timeline."""

    report: Report
    best: tuple[Fact, ...]
    timeline: Timeline


def window_of(filters: SearchFilters | None) -> Window:
    """The window of resolved ``filters``; FilterError when they name more than one outlet."""
    if filters is None:
        return Window()
    if len(filters.sources) > 1:
        raise FilterError("give one outlet")
    return Window(filters.since, filters.until, filters.sources[0] if filters.sources else None)


def who_in(store: ChunkStore, name: str, window: Window, *, limit: int = 100) -> Report | NotMentioned:
    """The report on ``name`` within ``window`` (at most ``limit`` article ids), or what is nearest."""
    index = store.collections.entities()
    articles = store.collections.articles()
    report = who(
        name, index, lambda ids: article_facts(articles, ids), window,
        limit=limit, total_articles=store.archive_stats().articles,
    )  # fmt: skip
    if report is not None:
        return report
    nearest = sorted(index.candidates(name).values(), key=lambda e: (-e.articles, e.name))
    return NotMentioned(name, tuple(dict.fromkeys(e.name for e in nearest))[:NEAREST])


def profile(store: ChunkStore, name: str, window: Window) -> Profile | NotMentioned:
    """``/who``'s page on ``name``: :func:`who_in`, the best articles and the months."""
    report = who_in(store, name, window, limit=BEST_FROM)
    if isinstance(report, NotMentioned):
        return report
    facts = article_facts(store.collections.articles(), report.article_ids)
    return Profile(report, best_articles(report, facts), month_timeline(report))


def best_articles(report: Report, facts: dict[str, Fact], n: int = BEST) -> tuple[Fact, ...]:
    """Of ``facts`` (the report's newest articles), those whose title names it first, then newest first."""
    forms = {v.casefold() for v in (report.name, *report.variants)}
    newest = [facts[a] for a in report.article_ids if a in facts]
    ranked = sorted(newest, key=lambda f: not any(form in f.title.casefold() for form in forms))
    return tuple(ranked[:n])


def month_timeline(report: Report) -> Timeline:
    """The report's articles per month, stacked by its top outlets (the rest as ``OTHER``)."""
    top = [outlet for outlet, _ in report.outlets[:TOP_OUTLETS]]
    days = sorted((date.fromisoformat(day), outlet) for _, day, outlet in report.rows if day)
    if not days:
        return Timeline((report.name,), "", (), (), report.articles, report.articles, ())
    months: dict[date, Counter[str]] = {m: Counter() for m in period_starts(days[0][0], days[-1][0], "month")}
    for day, outlet in days:
        months[day.replace(day=1)][outlet if outlet in top else OTHER] += 1
    periods = tuple(Period(start, dict(counts.items())) for start, counts in months.items())
    outlets = (*top, *([OTHER] if any(OTHER in p.by_outlet for p in periods) else []))
    undated = report.articles - len(days)
    return Timeline((report.name,), "month", periods, outlets, report.articles, undated, ())


def most_named_in(
    store: ChunkStore, window: Window, *, kind: str | None = None, limit: int = 20
) -> list[Counted]:
    """The ``limit`` entities (of ``kind``) most named in ``window``, most articles first."""
    stats = store.archive_stats()
    months = [*sorted({f"{day // 100:06d}" for day in stats.days}), UNDATED]
    return most_named(store.collections.entities(), window, months, kind=kind, limit=limit)
