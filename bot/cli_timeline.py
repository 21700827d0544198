"""``newsbot timeline``: when was it in the news? Counts per week or month, a chart with ``--png``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_answers import parse_filters
from retrieval.errors import ConfigError
from retrieval.printable import printable
from retrieval.settings import Settings

if TYPE_CHECKING:
    from retrieval.search.timeline import Mention, Timeline

EPILOG = """\
examples:
  newsbot timeline Уиткофф                        the articles that mention him, per week or month
  newsbot timeline "Witkoff Kushner" --png t.png  articles that mention both (Уиткофф, Кушнер too)
  newsbot timeline ставка --since 2025-01-01 --source Экономика-Пример --json

An article counts when it mentions every word: any form of it ("Уиткоффа", "Уиткоффом"), not a word
that only contains it; an English name also in Cyrillic letters. Counted exactly over the archive.
Weeks (from Monday) up to half a year of dates, months up to fifty years, years beyond;
undated articles are counted apart. Dates: from 1800-01-01 to 2999-12-31."""

BAR = 40
"""Characters of the longest bar in the text chart."""


def register(sub: Any) -> None:
    p = sub.add_parser(
        "timeline",
        help="how many articles mention some words, per week or month",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("words", metavar="QUERY", help="the words (an article counts when it mentions all)")
    p.add_argument(
        "--since", metavar="DATE", help="only articles from this day on (2026-01-06, 06.01.2026, …)"
    )
    p.add_argument("--until", metavar="DATE", help="only articles up to this day")
    p.add_argument(
        "--source", action="append", default=[], metavar="OUTLET", help="only this outlet (repeat)"
    )
    p.add_argument("--png", type=Path, metavar="FILE", help="write the chart (PNG) to FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run_timeline)


def run_timeline(args: argparse.Namespace, settings: Settings) -> int:
    from bot.timeline import render_chart
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


def format_timeline(timeline: Timeline, *, periods: bool = True) -> str:
    """The summary (total, span, busiest period, undated, earliest) and, with ``periods``, one line per
    period: its articles as a bar and by outlet."""
    from bot.timeline import articles, outlet_label, period_label, shown_words

    words = printable(shown_words(timeline))
    if timeline.total == 0:
        return f"{words}: no article mentions {'them all' if len(timeline.words) > 1 else 'it'}"
    lines = [f"{words}: {articles(timeline.total, 'en')}"]
    busiest = timeline.busiest
    if timeline.periods and busiest is not None:
        first, last = (
            period_label(p, timeline.granularity, "en") for p in (timeline.periods[0], timeline.periods[-1])
        )
        lines[0] += f", {first} – {last}, by {timeline.granularity}"
        lines.append(f"busiest: {period_label(busiest, timeline.granularity, 'en')} ({busiest.total})")
    if timeline.undated:
        lines.append(f"undated: {timeline.undated} of them (in no {timeline.granularity or 'period'})")
    if timeline.earliest:
        lines.append("earliest:")
        lines.extend(f"  {_mention_line(m)}" for m in timeline.earliest)
    if periods and timeline.periods:
        most = max(p.total for p in timeline.periods)
        lines.append("")
        for p in timeline.periods:
            bar = "█" * round(BAR * p.total / most) if p.total else ""
            outlets = ", ".join(
                f"{outlet_label(o, 'en')} {p.by_outlet[o]}" for o in timeline.outlets if o in p.by_outlet
            )
            lines.append(
                f"{p.start.isoformat()}  {p.total:5d}  {bar}" + (f"  ({outlets})" if outlets else "")
            )
    return "\n".join(lines)


def _mention_line(m: Mention) -> str:
    parts = [m.date.isoformat() if m.date else "undated", m.source, m.title or m.article_id, m.url]
    return " — ".join(printable(p) for p in parts if p)


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    return {
        "words": list(timeline.words),
        "total": timeline.total,
        "undated": timeline.undated,
        "granularity": timeline.granularity or None,
        "busiest": timeline.busiest.start.isoformat() if timeline.busiest else None,
        "outlets": [o or None for o in timeline.outlets],
        "periods": [
            {
                "start": p.start.isoformat(),
                "count": p.total,
                "by_outlet": {o or "(other)": n for o, n in p.by_outlet.items()},
            }
            for p in timeline.periods
        ],
        "earliest": [
            {
                "id": m.article_id,
                "title": m.title,
                "date": m.date.isoformat() if m.date else None,
                "source": m.source,
                "url": m.url,
            }
            for m in timeline.earliest
        ],
    }
