"""``newsbot who`` (what the archive says about a name) and ``newsbot entities`` (the most named)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from bot.cli.arguments import add_filters, command, parse_filters, positive
from bot.cli.csv_output import CSV_LIMIT, add_csv, print_csv, wants_csv
from retrieval.errors import ConfigError
from retrieval.settings import Settings

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

    from bot.present.csv_export import Cell

WHO_EPILOG = """\
examples:
  newsbot who Путин                            who, since when, where, with whom
  newsbot who "Vladimir Putin" --since 2025-01-01 --json
  newsbot who Уиткофф --source ТАСС
  newsbot who Путин --csv > putin.csv          his articles, newest first, up to --limit (1000)

A name in any form or script finds its entity ("Путина", "Putin"); articles that give only the surname
count with the full name. JSON keys: name, kind, variants, articles, article_ids, first, last, outlets,
periods, co_mentioned. A name no article mentions exits 0 with the nearest known names. CSV columns:
date, outlet, title, url, article_id."""
ENTITIES_EPILOG = """\
examples:
  newsbot entities --kind person --since 2025-03-01
  newsbot entities --source ТАСС --limit 50 --json"""
KIND_CHOICES = ("person", "organization", "place")
WHO_LIMIT = 100
"""The article ids ``who`` lists at most unless ``--limit`` says otherwise (``--csv``: rows, CSV_LIMIT)."""
FACTS_PAGE = 200
"""Articles read by id at a time for ``who --csv``."""


def register(sub: Any) -> None:
    p = command(
        sub, "who", help="what the archive says about a person, organisation or place", epilog=WHO_EPILOG
    )
    p.add_argument("name", metavar="NAME", help="the name, in any form or script")
    add_filters(p)
    p.add_argument(
        "--limit",
        type=positive,
        help=f"article ids listed at most (default {WHO_LIMIT}; with --csv: rows, default {CSV_LIMIT})",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_csv(p, limit=False)
    p.set_defaults(handler=run_who)
    q = command(
        sub, "entities", help="the people, organisations and places most named", epilog=ENTITIES_EPILOG
    )
    q.add_argument("--kind", choices=KIND_CHOICES, help="only this kind")
    add_filters(q)
    q.add_argument("--limit", type=positive, default=20, help="how many (default 20)")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(handler=run_entities)


def run_who(args: argparse.Namespace, settings: Settings) -> int:
    from bot.present.entities import not_mentioned_text, who_text
    from bot.wiring import open_store
    from retrieval.entities.reading import NotMentioned, who_in

    csv = wants_csv(args)
    store = open_store(settings)
    window = _window(parse_filters(args, store.archive_stats().outlets))
    report = who_in(store, args.name, window, limit=args.limit or (CSV_LIMIT if csv else WHO_LIMIT))
    if isinstance(report, NotMentioned):
        nearest = list(report.nearest)
        if csv:
            return _who_csv(store.collections.articles(), (), not_mentioned_text(args.name, nearest))
        if args.json:
            print(
                json.dumps(
                    {"name": args.name, "articles": 0, "nearest": nearest}, ensure_ascii=False, indent=2
                )
            )
        else:
            print(not_mentioned_text(args.name, nearest))
        return 0
    if csv:
        return _who_csv(store.collections.articles(), report.article_ids)
    print(json.dumps(report.json(), ensure_ascii=False, indent=2) if args.json else who_text(report))
    return 0


def _who_csv(articles: Collection, article_ids: Sequence[str], note: str = "") -> int:
    """``who --csv``: these articles, in this order (none: the header alone); ``note`` on stderr."""
    from bot.present.csv_export import WHO_COLUMNS

    print_csv(WHO_COLUMNS, _fact_rows(articles, article_ids))
    if note:
        print(note, file=sys.stderr)
    return 0


def _fact_rows(articles: Collection, article_ids: Sequence[str]) -> Iterator[tuple[Cell, ...]]:
    """The rows of these articles, in this order, read by id :data:`FACTS_PAGE` at a time."""
    from bot.present.csv_export import fact_row
    from retrieval.store.entities import article_facts

    for start in range(0, len(article_ids), FACTS_PAGE):
        page = article_ids[start : start + FACTS_PAGE]
        facts = article_facts(articles, page)
        yield from (fact_row(facts[aid]) for aid in page if aid in facts)


def run_entities(args: argparse.Namespace, settings: Settings) -> int:
    from bot.present.entities import entities_text
    from bot.wiring import open_store
    from retrieval.entities.reading import most_named_in

    store = open_store(settings)
    window = _window(parse_filters(args, store.archive_stats().outlets))
    named = most_named_in(store, window, kind=args.kind, limit=args.limit)
    if args.json:
        rows = [{"name": n.name, "kind": n.kind, "articles": n.articles} for n in named]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(entities_text(named))
    return 0


def _window(filters: Any) -> Any:
    from retrieval.entities.reading import window_of
    from retrieval.search.filters import FilterError

    try:
        return window_of(filters)
    except FilterError as exc:
        raise ConfigError(f"--source: {exc}") from None
