"""``newsbot timeline``: when was it in the news? Counts per week or month, a chart with ``--png``; up
to five queries compared on one chart, as counts or (``--share``) as shares of each period's articles."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.arguments import add_filters, command, parse_filters
from retrieval.errors import ConfigError
from retrieval.settings import Settings

if TYPE_CHECKING:
    from bot.present.timeline import Volumes
    from retrieval.search.timeline import Timeline

EPILOG = """\
examples:
  newsbot timeline Уиткофф                        the articles that mention him, per week or month
  newsbot timeline "Witkoff Kushner" --png t.png  articles that mention both (Уиткофф, Кушнер too)
  newsbot timeline ставка --since 2025-01-01 --source Экономика-Пример --json
  newsbot timeline Путин Трамп --share --png t.png  two queries compared, as shares of all articles

An article counts when it mentions every word: any form of it ("Уиткоффа", "Уиткоффом"), not a word
that only contains it; an English name also in Cyrillic letters (Johnson: Джонсон). Counted exactly
over the archive. Up to five queries (each in quotes when it has several words) are counted on the same
periods and drawn on one chart, a line each; --share divides each period's count by all the archive's
articles of that period (and each outlet's by that outlet's), from the archive's figures.
Weeks (from Monday) up to half a year of dates, months up to fifty years, years beyond;
undated articles are counted apart; a run of empty periods is one line. Dates: from 1800-01-01 to
2999-12-31. --json: a list with one series per query, [{"query", "total", "periods": [...]}, ...];
--csv: one row per query and period."""


def register(sub: Any) -> None:
    p = command(
        sub, "timeline", help="how many articles mention some words, per week or month", epilog=EPILOG
    )
    p.add_argument(
        "queries",
        nargs="+",
        metavar="QUERY",
        help="the words (an article counts when it mentions all); up to five queries to compare",
    )
    add_filters(p)
    p.add_argument("--share", action="store_true", help="each period's count as a share of all its articles")
    p.add_argument("--png", type=Path, metavar="FILE", help="write the chart (PNG) to FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--csv", action="store_true", help="a UTF-8 CSV: one row per query and period")
    p.set_defaults(handler=run_timeline)


def run_timeline(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.csv_output import print_csv, wants_csv
    from bot.present.timeline import format_timelines, timeline_table, timelines_json
    from bot.wiring import open_store
    from retrieval.search.mentions import NoWords
    from retrieval.search.shares import SharesUnknown, period_volumes
    from retrieval.search.timeline import TooManyQueries, count_timelines

    if any(not query.strip() for query in args.queries):
        from bot.cli import REQUIRED_TEXT

        raise ConfigError(f"a query is empty: {REQUIRED_TEXT['words']}")
    csv = wants_csv(args)
    store = open_store(settings)
    stats = store.archive_stats()
    filters = parse_filters(args, stats.outlets)
    try:
        timelines = count_timelines(store, args.queries, filters)
        volumes = [period_volumes(t, stats.article_days) for t in timelines] if args.share else None
    except (NoWords, SharesUnknown, TooManyQueries) as exc:
        raise ConfigError(str(exc)) from exc
    if args.png is not None:
        _draw(timelines, volumes, args.png)
    if args.json:
        print(json.dumps(timelines_json(timelines, volumes), ensure_ascii=False, indent=2))
    elif csv:
        print_csv(*timeline_table(timelines, volumes))
    else:
        print(format_timelines(timelines, periods=args.png is None, volumes=volumes))
    return 0


def _draw(timelines: list[Timeline], volumes: Volumes | None, png: Path) -> None:
    """The chart to ``png``: one query's bars by outlet, or a line per query (or per share)."""
    if not timelines[0].periods:
        print(f"newsbot timeline: note: no dated article to draw; {png} not written", file=sys.stderr)
        return
    from bot.present.chart import render_chart, render_comparison  # matplotlib: only to draw
    from bot.present.timeline import timeline_language

    lang = timeline_language(timelines)
    if len(timelines) == 1 and volumes is None:
        png.write_bytes(render_chart(timelines[0], lang))
    else:
        png.write_bytes(render_comparison(timelines, lang, volumes))
