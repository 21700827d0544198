"""Who and what was most in the news in a period: ``newsbot entities`` and its Telegram command.

The index keeps, per month, how many articles name each entity (of all outlets and of each:
:func:`retrieval.entities.index.tally_of`). A window of whole months is summed from those tallies; a month
the window cuts (``--since 2025-03-10``) is counted again for the leading entities from their postings,
day by day, so that the figures are exact for the days asked. A person named by part of a leading
person's name ("Путин" in articles that never give the full name) is counted with them; an organisation
or place only as itself ("Европа" is not "Центральная Европа": :func:`~retrieval.entities.lookup.
likeliest_whole`).

    most_named(index, Window(since=date(2025, 3, 1)), kind="person", limit=20)
    -> [Counted("person:владимир путин", "Владимир Путин", "person", 41), …]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta

from retrieval.entities.index import UNDATED
from retrieval.entities.lookup import likeliest_whole
from retrieval.entities.who import Counted, Index, Window

WIDER = 3
"""How many more entities than asked are recounted when the window cuts a month."""


def most_named(
    index: Index, window: Window, months: Sequence[str], *, kind: str | None = None, limit: int = 20
) -> list[Counted]:
    """The ``limit`` entities (of ``kind``) most named in ``window``, among the archive's ``months``
    (``YYYYMM``, :data:`~retrieval.entities.index.UNDATED` for undated articles)."""
    asked = window.months(months)
    tally = index.most_named(asked, outlet=window.outlet)
    if kind:
        tally = Counter({e: n for e, n in tally.items() if e.split(":", 1)[0] == kind})
    cut = [m for m in asked if m != UNDATED and _cut(m, window)]
    if cut:
        leading = [e for e, _ in tally.most_common(limit * WIDER)]
        full = [m for m in asked if m not in cut]
        partial = index.most_named(full, outlet=window.outlet)
        tally = Counter(
            {
                e: partial.get(e, 0) + sum(window.keeps(r) for r in index.articles(e, cut, limit=None))
                for e in leading
            }
        )
    leading = [e for e, n in tally.most_common(limit * WIDER) if n > 0]
    known = index.entities(leading)
    for part in leading:  # "Путин" alone counts with "Владимир Путин" (people only)
        if part not in known or " " in known[part].name:
            continue
        wholes = {**known, **index.candidates(known[part].name)}
        host = likeliest_whole(part, wholes)
        if host is not None:
            known.setdefault(host, wholes[host])
            tally[host] += tally.pop(part)
    return [
        Counted(e, known[e].name, known[e].kind, n)
        for e, n in tally.most_common(limit)
        if e in known and n > 0
    ]


def _cut(month: str, window: Window) -> bool:
    """Whether ``window`` keeps only part of ``month``'s days."""
    first = date(int(month[:4]), int(month[4:]), 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return bool((window.since and window.since > first) or (window.until and window.until < last))
