"""``newsbot who`` (what the archive says about a name) and ``newsbot entities`` (the most named)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.cli.arguments import add_filters, command, parse_filters
from retrieval.errors import ConfigError
from retrieval.settings import Settings

WHO_EPILOG = """\
examples:
  newsbot who Путин                            who, since when, where, with whom
  newsbot who "Vladimir Putin" --since 2025-01-01 --json
  newsbot who Уиткофф --source ТАСС

A name in any form or script finds its entity ("Путина", "Putin"); articles that give only the surname
count with the full name. JSON keys: name, kind, variants, articles, article_ids, first, last, outlets,
periods, co_mentioned. A name no article mentions exits 0 with the nearest known names."""
ENTITIES_EPILOG = """\
examples:
  newsbot entities --kind person --since 2025-03-01
  newsbot entities --source ТАСС --limit 50 --json"""
KIND_CHOICES = ("person", "organization", "place")


def register(sub: Any) -> None:
    p = command(
        sub, "who", help="what the archive says about a person, organisation or place", epilog=WHO_EPILOG
    )
    p.add_argument("name", metavar="NAME", help="the name, in any form or script")
    add_filters(p)
    p.add_argument("--limit", type=_positive, default=100, help="article ids listed at most (default 100)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run_who)
    q = command(
        sub, "entities", help="the people, organisations and places most named", epilog=ENTITIES_EPILOG
    )
    q.add_argument("--kind", choices=KIND_CHOICES, help="only this kind")
    add_filters(q)
    q.add_argument("--limit", type=_positive, default=20, help="how many (default 20)")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(handler=run_entities)


def run_who(args: argparse.Namespace, settings: Settings) -> int:
    from bot.present.entities import not_mentioned_text, who_text
    from bot.wiring import open_store
    from retrieval.entities.who import who
    from retrieval.store.entities import article_facts

    store = open_store(settings)
    stats = store.archive_stats()
    window = _window(parse_filters(args, stats.outlets))
    index = store.collections.entities()
    articles = store.collections.articles()
    report = who(
        args.name, index, lambda ids: article_facts(articles, ids), window,
        limit=args.limit, total_articles=stats.articles,
    )  # fmt: skip
    if report is None:
        nearest = [e.name for e in sorted(index.candidates(args.name).values(), key=lambda e: -e.articles)][
            :5
        ]
        if args.json:
            print(
                json.dumps(
                    {"name": args.name, "articles": 0, "nearest": nearest}, ensure_ascii=False, indent=2
                )
            )
        else:
            print(not_mentioned_text(args.name, nearest))
        return 0
    print(json.dumps(report.json(), ensure_ascii=False, indent=2) if args.json else who_text(report))
    return 0


def run_entities(args: argparse.Namespace, settings: Settings) -> int:
    from bot.present.entities import entities_text
    from bot.wiring import open_store
    from retrieval.entities.most_named import most_named

    store = open_store(settings)
    stats = store.archive_stats()
    window = _window(parse_filters(args, stats.outlets))
    months = [*sorted({f"{day // 100:06d}" for day in stats.days}), "undated"]
    named = most_named(store.collections.entities(), window, months, kind=args.kind, limit=args.limit)
    if args.json:
        rows = [{"name": n.name, "kind": n.kind, "articles": n.articles} for n in named]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(entities_text(named))
    return 0


def _window(filters: Any) -> Any:
    from retrieval.entities.who import Window

    if len(filters.sources) > 1:
        raise ConfigError("--source: give one outlet")
    return Window(filters.since, filters.until, filters.sources[0] if filters.sources else None)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n
