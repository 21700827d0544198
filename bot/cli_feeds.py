"""``newsbot feeds add|list|remove|poll`` and ``newsbot watch`` (polls the feeds every interval)."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.cli_store import cancel_on_ctrl_c
from retrieval.errors import ConfigError, EmbeddingError, NewsbotError
from retrieval.settings import Settings

if TYPE_CHECKING:
    from ingest.feeds.poll import FeedOutcome, FeedPoller, PollReport
    from ingest.feeds.registry import Feed

FEEDS_EPILOG = """\
examples:
  newsbot feeds add https://example.org/rss.xml
  newsbot feeds add https://example.org/atom.xml --source "Example News"
  newsbot feeds list --json
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
    feeds = sub.add_parser(
        "feeds",
        help="RSS and Atom feeds to ingest",
        description="Add, list, remove and poll the news feeds ingested into the archive.",
        epilog=FEEDS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = feeds.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a feed", description="Add an RSS or Atom feed by its URL.")
    add.add_argument("url", metavar="URL")
    add.add_argument("--source", metavar="NAME", help="the outlet's name (default: the feed's title)")
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help="the feeds and their state")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=run_list)
    remove = actions.add_parser("remove", help="remove a feed (its articles stay)")
    remove.add_argument("url", metavar="URL")
    remove.set_defaults(handler=run_remove)
    poll = actions.add_parser("poll", help="poll every feed once now")
    poll.add_argument("--json", action="store_true", help="machine-readable output")
    poll.set_defaults(handler=run_poll)

    watch = sub.add_parser(
        "watch",
        help="poll the feeds every NEWSBOT_FEED_INTERVAL minutes",
        description="Poll the news feeds on a schedule until stopped (Ctrl-C).",
        epilog=WATCH_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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

    feeds = FeedRegistry(open_store(settings)).feeds()
    if args.json:
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


# -- rendering ------------------------------------------------------------------------------------


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else "never"


def format_feed(feed: Feed) -> str:
    head = feed.url + (f"  ({feed.source})" if feed.source else "")
    state = (
        f"  last poll: {_when(feed.last_poll)}, last success: {_when(feed.last_success)}, "
        f"articles added: {feed.articles_added}"
    )
    error = f"\n  last error: {feed.last_error}" if feed.last_error else ""
    return f"{head}\n{state}{error}"


def feed_json(feed: Feed) -> dict[str, Any]:
    def stamp(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "url": feed.url,
        "source": feed.source,
        "added_at": stamp(feed.added_at),
        "last_poll": stamp(feed.last_poll),
        "last_success": stamp(feed.last_success),
        "last_error": feed.last_error,
        "articles_added": feed.articles_added,
    }


def format_outcome(outcome: FeedOutcome) -> str:
    if outcome.error is not None:
        line = f"{outcome.url}: failed: {outcome.error}"
    elif outcome.not_modified:
        line = f"{outcome.url}: not modified"
    else:
        line = (
            f"{outcome.url}: {outcome.added} added, {outcome.updated} updated, {outcome.unchanged} unchanged"
        )
    return "\n".join([line, *(f"  warning: {w}" for w in outcome.warnings)])


def format_report(report: PollReport) -> str:
    if report.held_by:
        return f"another process is polling the feeds ({report.held_by}); this round is skipped"
    lines = [format_outcome(o) for o in report.outcomes]
    if report.postponed:
        lines.append(f"{len(report.postponed)} more feed(s) not polled: another ingestion holds the archive")
    if report.cancelled:
        lines.append("cancelled: the remaining feeds are polled next time")
    return "\n".join(lines)


def report_json(report: PollReport) -> dict[str, Any]:
    return {
        "held_by": report.held_by,
        "cancelled": report.cancelled,
        "postponed": report.postponed,
        "feeds": [
            {
                "url": o.url,
                "added": o.added,
                "updated": o.updated,
                "unchanged": o.unchanged,
                "not_modified": o.not_modified,
                "error": o.error,
                "warnings": o.warnings,
            }
            for o in report.outcomes
        ],
    }
