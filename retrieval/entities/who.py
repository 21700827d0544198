"""What the archive says about a name: ``newsbot who`` and ``/who``, from the entity index and the
articles' records, every read by id.

    report = who("Putin", index, facts, Window(since=date(2025, 1, 1)), limit=100)
    report.name, report.kind, report.articles, report.first.title, report.co_mentioned[0].name

The name resolves to its entity (:func:`retrieval.entities.lookup.resolve`); its articles are read from the
index's month postings within the window (dates, an outlet), newest first; the first and last mention,
the outlets that name it most and a count per month come from them; the entities named beside it
(:mod:`retrieval.entities.co_mentions`) from the entities of its newest :data:`CO_MENTION_ARTICLES`
articles, against how many articles name each at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from retrieval.entities.co_mentions import beside
from retrieval.entities.index import UNDATED, Entity
from retrieval.entities.lookup import resolve

CO_MENTION_ARTICLES = 300
"""How many of the newest articles the entities named beside one are counted in."""


class Index(Protocol):
    """The reads of :class:`retrieval.store.entities.EntityIndex` the reports need."""

    def candidates(self, name: str) -> dict[str, Entity]: ...

    def entities(self, entity_ids: Sequence[str]) -> dict[str, Entity]: ...

    def articles(
        self, entity_id: str, months: Sequence[str] | None = None, limit: int | None = 100
    ) -> list[list[str]]: ...

    def most_named(
        self, months: Sequence[str], limit: int | None = None, outlet: str | None = None
    ) -> Counter[str]: ...


@dataclass(frozen=True, slots=True)
class Fact:
    """What a report shows of an article: title, day, outlet, link and the entities it names."""

    article_id: str
    title: str
    day: str | None
    outlet: str
    url: str | None
    entities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Window:
    """Which articles count: from ``since`` to ``until`` (days, inclusive), of ``outlet``."""

    since: date | None = None
    until: date | None = None
    outlet: str | None = None

    def months(self, have: Sequence[str]) -> list[str]:
        lo = self.since.strftime("%Y%m") if self.since else ""
        hi = self.until.strftime("%Y%m") if self.until else "999999"
        dated = self.since is not None or self.until is not None
        return [m for m in have if (m == UNDATED and not dated) or (m != UNDATED and lo <= m <= hi)]

    def keeps(self, row: Sequence[str]) -> bool:
        _, day, outlet = row[:3]
        if self.outlet is not None and outlet.casefold() != self.outlet.casefold():
            return False
        if self.since and (not day or day < self.since.isoformat()):
            return False
        return not (self.until and (not day or day > self.until.isoformat()))


@dataclass(frozen=True, slots=True)
class Counted:
    """An entity as a report names it."""

    entity_id: str
    name: str
    kind: str
    articles: int


@dataclass(frozen=True, slots=True)
class Report:
    """``newsbot who``'s answer (its JSON keys are these fields')."""

    name: str
    kind: str
    variants: tuple[str, ...]
    articles: int
    article_ids: tuple[str, ...]
    first: Fact | None
    last: Fact | None
    outlets: tuple[tuple[str, int], ...]
    periods: tuple[tuple[str, int], ...]
    co_mentioned: tuple[Counted, ...]
    others: tuple[Counted, ...] = field(default=())
    """Other entities the name may mean ("Иванка Трамп" for "Trump")."""
    rows: tuple[tuple[str, str, str], ...] = field(default=(), repr=False)
    """Every article that names it, newest first: (article id, day or "", outlet); a chart's counts."""

    def json(self) -> dict[str, Any]:
        def fact(f: Fact | None) -> dict[str, Any] | None:
            if f is None:
                return None
            return {
                "article_id": f.article_id,
                "title": f.title,
                "date": f.day,
                "outlet": f.outlet,
                "url": f.url,
            }

        return {
            "name": self.name,
            "kind": self.kind,
            "variants": list(self.variants),
            "articles": self.articles,
            "article_ids": list(self.article_ids),
            "first": fact(self.first),
            "last": fact(self.last),
            "outlets": [{"outlet": o, "articles": n} for o, n in self.outlets],
            "periods": [{"period": p, "articles": n} for p, n in self.periods],
            "co_mentioned": [
                {"name": c.name, "kind": c.kind, "articles": c.articles} for c in self.co_mentioned
            ],
        }


def who(
    name: str,
    index: Index,
    facts: Callable[[Sequence[str]], Mapping[str, Fact]],
    window: Window,
    *,
    limit: int = 100,
    total_articles: int,
) -> Report | None:
    """The report on ``name``, or None when no entity of the archive answers to it."""
    found = index.candidates(name)
    resolved = resolve(name, found)
    if resolved is None:
        return None
    meant = found[resolved.meant]
    ids = (resolved.meant, *resolved.same)
    rows: list[list[str]] = []
    for eid in ids:
        months = window.months(list(found[eid].months))
        rows += [r for r in index.articles(eid, months, limit=None) if window.keeps(r)]
    rows = _newest_first({r[0]: r for r in rows}.values())
    if not rows:
        return None
    dated = [r for r in rows if r[1]]
    ends = facts([r[0] for r in (dated[-1:] + dated[:1])]) if dated else {}
    newest = [r[0] for r in rows[:CO_MENTION_ARTICLES]]
    variants = tuple(dict.fromkeys(v for eid in ids for v in found[eid].variants))
    return Report(
        name=meant.name,
        kind=meant.kind,
        variants=variants,
        articles=len(rows),
        article_ids=tuple(r[0] for r in rows[:limit]),
        first=ends.get(dated[-1][0]) if dated else None,
        last=ends.get(dated[0][0]) if dated else None,
        outlets=tuple(Counter(r[2] for r in rows if r[2]).most_common(10)),
        periods=tuple(sorted(Counter(r[1][:7] for r in dated).items())),
        co_mentioned=_co_mentioned(set(ids), newest, index, facts, total_articles),
        others=tuple(
            Counted(e, found[e].name, found[e].kind, found[e].articles) for e in resolved.others[:5]
        ),
        rows=tuple((r[0], r[1], r[2]) for r in rows),
    )


def _newest_first(rows: Any) -> list[list[str]]:
    return sorted(rows, key=lambda r: (bool(r[1]), r[1], r[0]), reverse=True)


def _co_mentioned(
    own: set[str],
    article_ids: Sequence[str],
    index: Index,
    facts: Callable[[Sequence[str]], Mapping[str, Fact]],
    total: int,
) -> tuple[Counted, ...]:
    together: Counter[str] = Counter()
    for fact in facts(article_ids).values():
        together.update(e for e in set(fact.entities) if e not in own)
    common = [e for e, n in together.most_common(200) if n >= 2]
    known = index.entities(common)
    ranked = beside(
        next(iter(own)), together, {e: k.articles for e, k in known.items()}, len(article_ids), total
    )
    return tuple(
        Counted(b.entity_id, known[b.entity_id].name, known[b.entity_id].kind, b.together) for b in ranked
    )
