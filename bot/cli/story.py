"""``newsbot story``: a story's pickup, for an article given by its id or found by a query."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from bot.cli.arguments import command
from retrieval.settings import Settings

if TYPE_CHECKING:
    from retrieval.search.pickup import Pickup
    from retrieval.store.chunks import ChunkStore

EPILOG = """\
examples:
  newsbot story paris-original                 the story of this article (its id, as search --json gives it)
  newsbot story "Уиткофф Кушнер Париж"         the story of the best article these words find (a strong match)
  newsbot story paris-original --json

Who ran the story first and when, who followed and how much later (the archive keeps an article's
day, not its hour: lags are whole days, in hours), every copy with its link, and the outlets with
articles within 3 days either side of the first copy's day that ran none of it. A story is the
near-duplicate articles grouped at ingestion (reprints, syndicated copies), as search's "also in".
JSON keys: story, first {article_id, outlet, date, url, title}, copies [{…, after_hours}] (the first
too, after_hours 0), absent [outlets], window {since, until}. An id no article has and words with
no strong match exit 0 with a note (JSON: first null): nothing failed, the archive has no such story."""


def register(sub: Any) -> None:
    p = command(
        sub, "story", help="a story's pickup: who ran it first, who followed, who did not", epilog=EPILOG
    )
    p.add_argument("article", metavar="ARTICLE_ID|QUERY", help="an article's id, or words to find one")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run_story)


def run_story(args: argparse.Namespace, settings: Settings) -> int:
    from bot.present.pickup import not_found_json, not_found_text, pickup_json, pickup_text
    from bot.wiring import open_store
    from retrieval.search.pickup import pickup_of

    store = open_store(settings)
    pickup = pickup_of(store, args.article) or _found(store, settings, args.article)
    if pickup is None:
        print(
            json.dumps(not_found_json(args.article), ensure_ascii=False)
            if args.json
            else not_found_text(args.article)
        )
        return 0
    print(json.dumps(pickup_json(pickup), ensure_ascii=False, indent=2) if args.json else pickup_text(pickup))
    return 0


def _found(store: ChunkStore, settings: Settings, query: str) -> Pickup | None:
    """The pickup of the story of the best passage ``query`` finds, when it is a strong match (every
    word of a keyword query, or among the closest in meaning with every name and number asked for: a
    related match is found for any words, even ones no article has)."""
    from bot.wiring import build_answerer
    from retrieval.search.pickup import pickup_of

    passages = build_answerer(settings, store=store).search(query, 5).passages
    best = next((p for p in passages if p.strength == "strong"), None)
    return pickup_of(store, best.article_id) if best is not None else None
