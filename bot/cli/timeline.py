"""``newsbot timeline``: when was it in the news? Counts per week or month, a chart with ``--png``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli.arguments import add_filters, command, parse_filters
from retrieval.errors import ConfigError
from retrieval.settings import Settings

EPILOG = """\
examples:
  newsbot timeline Уиткофф                        the articles that mention him, per week or month
  newsbot timeline "Witkoff Kushner" --png t.png  articles that mention both (Уиткофф, Кушнер too)
  newsbot timeline ставка --since 2025-01-01 --source Экономика-Пример --json

An article counts when it mentions every word: any form of it ("Уиткоффа", "Уиткоффом"), not a word
that only contains it; an English name also in Cyrillic letters. Counted exactly over the archive.
Weeks (from Monday) up to half a year of dates, months up to fifty years, years beyond;
undated articles are counted apart. Dates: from 1800-01-01 to 2999-12-31."""


def register(sub: Any) -> None:
    p = command(
        sub, "timeline", help="how many articles mention some words, per week or month", epilog=EPILOG
    )
    p.add_argument("words", metavar="QUERY", help="the words (an article counts when it mentions all)")
    add_filters(p)
    p.add_argument("--png", type=Path, metavar="FILE", help="write the chart (PNG) to FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run_timeline)


def run_timeline(args: argparse.Namespace, settings: Settings) -> int:
    from bot.present.timeline import format_timeline, timeline_json
    from bot.wiring import open_store
    from retrieval.search.mentions import NoWords
    from retrieval.search.timeline import count_timeline

    store = open_store(settings)
    filters = parse_filters(args, store.archive_stats().outlets)
    try:
        timeline = count_timeline(store, args.words, filters)
    except NoWords as exc:
        raise ConfigError(str(exc)) from exc
    if args.png is not None:
        if timeline.periods:
            from bot.present.chart import render_chart  # matplotlib: only to draw

            args.png.write_bytes(render_chart(timeline, "en"))
        else:
            print(
                f"newsbot timeline: note: no dated article to draw; {args.png} not written", file=sys.stderr
            )
    if args.json:
        print(json.dumps(timeline_json(timeline), ensure_ascii=False, indent=2))
    else:
        print(format_timeline(timeline, periods=args.png is None))
    return 0
