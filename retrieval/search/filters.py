"""Hard search filters from what a person typed: dates (``--since``/``since:``) and outlets.

The command line and the bot read the same values, so they share this; each only names its options its
own way in the messages (``labels``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from retrieval.records import SearchFilters
from retrieval.search.dates import OUT_OF_RANGE, DateOutOfRange, parse_date_arg


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
    if unknown and known_sources:
        shown = ", ".join(known_sources[:20])
        raise FilterError(f"No outlet called «{unknown[0]}» in the archive. Outlets: {shown}")
    return SearchFilters(since=first, until=last, sources=resolved, who=" ".join(who.split()))


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
