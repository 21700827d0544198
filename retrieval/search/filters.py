"""Hard search filters from what a person typed: dates (``--since``/``since:``) and outlets.

The command line and the bot read the same values, so they share this; each only names its options its
own way in the messages (``labels``). An outlet the archive does not hold is a FilterError naming the
closest ones it does hold; ``unknown`` (what ``newsbot stats`` calls the articles that name no outlet)
cannot be filtered on, and the message says so and how to give them one. What a date filter leaves out
for having no date is counted from the archive's figures (:func:`undated_left_out`).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date

from retrieval.records import SearchFilters
from retrieval.search.dates import OUT_OF_RANGE, DateOutOfRange, parse_date_arg
from retrieval.store.statistics import ArchiveStats

UNKNOWN_OUTLET = "unknown"
"""What ``newsbot stats`` lists the articles without an outlet as."""
CLOSEST = 5
"""Most outlets an unknown one's message names."""


class FilterError(ValueError):
    """A filter that cannot be applied; the message is meant for the user."""


def build_filters(
    since: str | None,
    until: str | None,
    sources: Sequence[str],
    known_sources: Sequence[str],
    *,
    today: date,
    labels: tuple[str, str] = ("since:", "until:"),
    who: str = "",
) -> SearchFilters:
    """Dates parsed (a month or a week covers all its days; a date outside
    :data:`~retrieval.search.dates.CALENDAR`, or ``since`` after ``until``, is a FilterError), outlets
    matched against ``known_sources``."""
    first = _day(since, today, end=False, label=labels[0]) if since else None
    last = _day(until, today, end=True, label=labels[1]) if until else None
    if first and last and first > last:
        raise FilterError(f"{labels[0]}{first.isoformat()} is after {labels[1]}{last.isoformat()}")
    resolved = resolve_sources(sources, known_sources) if sources else ()
    unknown = [s for s in resolved if s not in known_sources]
    if unknown:
        raise FilterError(no_outlet(unknown[0], known_sources))
    return SearchFilters(since=first, until=last, sources=resolved, who=" ".join(who.split()))


def no_outlet(name: str, known: Sequence[str]) -> str:
    """Why ``name`` cannot filter: the closest outlets the archive holds (all of the first 20 when none
    is close), or, for ``unknown``, that articles without an outlet cannot be picked by one."""
    if name.strip().lower() == UNKNOWN_OUTLET:
        return (
            f"«{name}» stands for the articles that name no outlet; they cannot be picked by an outlet "
            "filter. Give them one: newsbot ingest DIR --source NAME"
        )
    head = f"No outlet called «{name}» in the archive."
    if not known:
        return f"{head} Its articles name no outlet."
    by_lowered = {k.lower(): k for k in known}
    closest = difflib.get_close_matches(name.strip().lower(), list(by_lowered), n=CLOSEST, cutoff=0.6)
    if closest:
        return f"{head} Closest: {', '.join(by_lowered[c] for c in closest)}"
    return f"{head} Outlets: {', '.join(known[:20])}"


def undated_left_out(filters: SearchFilters | None, stats: ArchiveStats) -> int | None:
    """How many articles without a date ``filters`` leave out (of the outlets they keep): 0 without a
    date filter, None when the archive's figures predate that count."""
    if filters is None or (filters.since is None and filters.until is None):
        return 0
    return stats.undated_articles(filters.sources)


def resolve_sources(names: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    """Map what a user typed to stored outlet names: exact, then case-insensitive, then prefix."""
    resolved: list[str] = []
    for name in names:
        lowered = name.strip().lower()
        exact = [k for k in known if k == name] or [k for k in known if k.lower() == lowered]
        matches = exact or [k for k in known if k.lower().startswith(lowered)]
        resolved.extend(matches or [name])
    return tuple(dict.fromkeys(resolved))


def _day(value: str, today: date, *, end: bool, label: str) -> date:
    try:
        return parse_date_arg(value, today=today, end=end)
    except DateOutOfRange as exc:
        typed, read = value.strip(), exc.day.isoformat()
        shown = typed if typed == read else f"{typed} ({read})"
        raise FilterError(f"{label}{shown} {OUT_OF_RANGE}") from exc
    except ValueError as exc:
        raise FilterError(f"«{value}» is not a date I understand: {exc}") from exc
