"""Filters typed into a question or a search: ``since:``, ``until:``, ``source:`` and ``who:``.

    parse_query('ставка ЦБ since:2025-12-01 source:"Example Wire"')
    -> Query(text='ставка ЦБ', since='2025-12-01', until=None, sources=('Example Wire',))

Russian keys work too (``от:``, ``до:``, ``источник:``, ``кто:``). A value with spaces goes in quotes
("…" or «…»).
Dates take every form ``newsbot ask --since`` takes (2026-01-06, 06.01.2026, "January 2026", yesterday);
outlets match exactly, then case-insensitively, then by prefix; ``who:`` keeps the articles that name
that person, organisation or place in any form or script (``who:Putin`` finds «Путина»;
:mod:`retrieval.search.named`). Operators (``"phrase"``, ``-word``, ``A OR B``) stay in the text: search
reads them (:mod:`retrieval.search.operators`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from retrieval.records import SearchFilters, with_defaults
from retrieval.search.filters import FilterError, build_filters

__all__ = ["FilterError", "Query", "parse_query", "resolve_filters"]

_KEYS = {
    "since": "since",
    "от": "since",
    "until": "until",
    "до": "until",
    "source": "source",
    "источник": "source",
    "who": "who",
    "кто": "who",
}
_FILTER = re.compile(
    r"(?<!\S)(?P<key>since|until|source|who|от|до|источник|кто):\s?"
    r"(?:\"(?P<dq>[^\"]*)\"|«(?P<gq>[^»]*)»|(?P<bare>\S+))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    since: str | None = None
    until: str | None = None
    sources: tuple[str, ...] = ()
    who: str = ""

    __setstate__ = with_defaults  # kept in the bot's state (a search's pages): a field added since loads

    @property
    def has_filters(self) -> bool:
        return bool(self.since or self.until or self.sources or self.who)


def parse_query(raw: str) -> Query:
    """Split the filters off ``raw``; the rest, whitespace tidied, is the question or the search."""
    found: dict[str, str] = {}
    sources: list[str] = []

    def take(m: re.Match[str]) -> str:
        key = _KEYS[m.group("key").lower()]
        quoted = next(v for v in (m.group("dq"), m.group("gq"), m.group("bare")) if v is not None)
        value = " ".join(quoted.split())  # a quoted value may span lines: "since:\"6 January\n2026\""
        if key == "source":
            sources.append(value)
        else:
            found[key] = value
        return " "

    text = " ".join(_FILTER.sub(take, raw).split())
    since, until, who = found.get("since"), found.get("until"), found.get("who", "")
    return Query(text, since, until, tuple(s for s in sources if s), who)


def resolve_filters(query: Query, known_sources: Sequence[str], today: date) -> SearchFilters:
    """The hard filters ``query`` asks for, against the outlets the archive holds; FilterError if wrong."""
    return build_filters(query.since, query.until, query.sources, known_sources, today=today, who=query.who)
