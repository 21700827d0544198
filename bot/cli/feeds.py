"""``newsbot feeds add|list|remove|poll`` and ``newsbot watch`` (polls the feeds every interval)."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.cli.arguments import command
from bot.cli.csv_output import add_csv, print_csv, wants_csv
from bot.cli.interrupt import cancel_on_ctrl_c
from bot.present.feeds import feed_json, format_feed, format_report, report_json
from retrieval.errors import ConfigError, EmbeddingError, NewsbotError
from retrieval.settings import Settings

if TYPE_CHECKING:
    from ingest.feeds.poll import FeedPoller

FEEDS_EPILOG = """\
examples:
  newsbot feeds add https://example.org/rss.xml
  newsbot feeds add https://example.org/atom.xml --source "Example News"
  newsbot feeds list --json
  newsbot feeds list --csv > feeds.csv         url, source, added_at, last_poll, last_success, …
  newsbot feeds poll                           poll every feed once now
  newsbot feeds remove https://example.org/rss.xml

RSS 0.9x, 1.0, 2.0 and Atom. Each entry becomes an article: its text is the linked page's (or the entry's
own summary when the page cannot be read). The list lives with the collection in the store, shared by
every bot replica and `newsbot watch`; removing a feed keeps the articles it brought."""

WATCH_EPILOG = """\
examples:
  newsbot watch                 poll every NEWSBOT_FEED_INTERVAL minutes until Ctrl-C
  newsbot watch --interval 5    every 5 minutes

For deployments without the bot (the bot polls the feeds itself). One process polls at a time; others
skip their round."""


def register(sub: Any) -> None:
    feeds = command(
        sub,
        "feeds",
        help="RSS and Atom feeds to ingest",
        description="Add, list, remove and poll the news feeds ingested into the archive.",
        epilog=FEEDS_EPILOG,
    )
    actions = feeds.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a feed", description="Add an RSS or Atom feed by its URL.")
    add.add_argument("url", metavar="URL")
    add.add_argument("--source", metavar="NAME", help="the outlet's name (default: the feed's title)")
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help="the feeds and their state")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    add_csv(listing)
    listing.set_defaults(handler=run_list)
    remove = actions.add_parser("remove", help="remove a feed (its articles stay)")
    remove.add_argument("url", metavar="URL")
    remove.set_defaults(handler=run_remove)
    poll = actions.add_parser("poll", help="poll every feed once now")
    poll.add_argument("--json", action="store_true", help="machine-readable output")
    poll.set_defaults(handler=run_poll)

    watch = command(
        sub,
        "watch",
        help="poll the feeds every NEWSBOT_FEED_INTERVAL minutes",
        description="Poll the news feeds on a schedule until stopped (Ctrl-C).",
        epilog=WATCH_EPILOG,
    )
    watch.add_argument("--interval", type=float, metavar="MINUTES", help="default: NEWSBOT_FEED_INTERVAL")
    watch.add_argument("--rounds", type=int, default=0, metavar="N", help="stop after N rounds (0: never)")
    watch.set_defaults(handler=run_watch)


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import open_store
    from ingest.feeds.registry import FeedRegistry

    feed = FeedRegistry(open_store(settings)).add(args.url, args.source)
    print(f"feed {feed.url} listed" + (f" (source: {feed.source})" if feed.source else ""))
    print("it is polled by the bot or `newsbot watch`; `newsbot feeds poll` polls now")
    return 0


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import open_store
    from ingest.feeds.registry import FeedError, FeedRegistry

    registry = FeedRegistry(open_store(settings))
    if not registry.remove(args.url):
        raise FeedError(f"{args.url} is not in the feed list (see: newsbot feeds list)")
    print(f"feed {args.url} removed (the articles it brought stay in the archive)")
    return 0


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import open_store
    from ingest.feeds.registry import FeedRegistry

    csv = wants_csv(args)
    feeds = FeedRegistry(open_store(settings)).feeds()
    if csv:
        from bot.present.csv_export import FEED_COLUMNS, feed_row

        print_csv(FEED_COLUMNS, (feed_row(f) for f in feeds[: args.limit]))
    elif args.json:
        print(json.dumps([feed_json(f) for f in feeds], ensure_ascii=False, indent=2))
    elif not feeds:
        print("no feeds yet: add one with newsbot feeds add URL")
    else:
        print("\n".join(format_feed(f) for f in feeds))
    return 0


def run_poll(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import load_embeddings, open_store
    from ingest.feeds.poll import FeedPoller

    poller = FeedPoller(open_store(settings), load_embeddings(settings), settings)
    cancel = threading.Event()
    with cancel_on_ctrl_c(cancel):
        report = poller.poll(cancel)
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        print(format_report(report) or "no feeds to poll: add one with newsbot feeds add URL")
    return 1 if report.held_by or report.failed or report.cancelled else 0


def run_watch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import load_embeddings, open_store
    from ingest.feeds.poll import FeedPoller

    if args.interval is not None and args.interval < 0:
        raise ConfigError(f"--interval {args.interval:g}: give minutes, 0 or more")
    if args.interval is not None:
        settings = settings.model_copy(update={"feed_interval": args.interval})
    minutes = settings.feed_interval
    poller = FeedPoller(open_store(settings), load_embeddings(settings), settings)
    cancel = threading.Event()
    print(f"watching the feeds every {minutes:g} min (Ctrl-C stops)", flush=True)
    rounds = 0
    with cancel_on_ctrl_c(cancel):
        while not cancel.is_set():
            _watch_round(poller, cancel)
            rounds += 1
            if args.rounds and rounds >= args.rounds:
                break
            cancel.wait(minutes * 60)
    return 0


def _watch_round(poller: FeedPoller, cancel: threading.Event) -> None:
    """One round; a store that fails is reported and tried again next round."""
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    try:
        report = poller.poll(cancel, only_due=True)
    except (ConfigError, EmbeddingError):
        raise
    except NewsbotError as exc:
        print(f"{stamp} newsbot watch: this round failed: {exc}", file=sys.stderr, flush=True)
        return
    print(f"{stamp} " + (format_report(report) or "no feed due"), flush=True)
