"""When was it in the news: a Timeline as Telegram HTML (the caption under the chart), as plain text and
as JSON for the command line; :mod:`bot.present.chart` draws the chart itself.

    caption = render_caption(timeline, "en")    # Telegram HTML, under the 1,024-character caption limit
    print(format_timeline(timeline))            # the summary, then a bar per week or month
    json.dumps(timeline_json(timeline))

The caption gives the total, the span and its busiest period, the undated articles (not on the chart),
and the three earliest articles as links with dates; the plain text the same and, per period, its
articles as a bar and by outlet. Words, titles and outlets are cut to a size, so the caption stays
under Telegram's limit whatever the archive holds.
"""

from __future__ import annotations

from typing import Any

from bot.present.cut import clip
from bot.present.markup import escape, link
from bot.present.phrases import TIMELINE, articles
from retrieval.printable import printable
from retrieval.search.timeline import OTHER, Mention, Period, Timeline

WORDS_CHARS = 100
TITLE_CHARS = 120
OUTLET_CHARS = 40
"""What the caption shows of the words, a title and an outlet at most (so it stays under 1,024)."""
BAR = 40
"""Characters of the longest bar in the text chart."""


def period_label(period: Period, granularity: str, lang: str) -> str:
    """``week of 2026-01-05``, ``2026-01`` or ``2026``."""
    if granularity == "week":
        return TIMELINE[lang]["week_of"].format(day=period.start.isoformat())
    return period.start.isoformat()[: 4 if granularity == "year" else 7]


def outlet_label(outlet: str, lang: str) -> str:
    return TIMELINE[lang]["other"] if outlet == OTHER else clip(printable(outlet), OUTLET_CHARS)


def shown_words(timeline: Timeline) -> str:
    return clip(" + ".join(timeline.words), WORDS_CHARS)


def render_caption(timeline: Timeline, lang: str) -> str:
    """The caption under the chart (or the whole reply when nothing was found), as Telegram HTML."""
    said = TIMELINE[lang]
    head = f"📈 <b>{escape(shown_words(timeline))}</b>: "
    if timeline.total == 0:
        them = said["them"] if len(timeline.words) > 1 else said["it"]
        return head + said["none"].format(them=them)
    head += articles(timeline.total, lang)
    if len(timeline.words) > 1:
        head += f" ({said['all']})"
    lines = [head]
    busiest = timeline.busiest
    if timeline.periods and busiest is not None:
        first = period_label(timeline.periods[0], timeline.granularity, lang)
        last = period_label(timeline.periods[-1], timeline.granularity, lang)
        lines.append(f"{first} – {last}, {said[timeline.granularity]}")
        period = period_label(busiest, timeline.granularity, lang)
        lines.append(said["busiest"].format(period=period, n=busiest.total))
    if timeline.undated:
        lines.append(said["undated"].format(n=timeline.undated))
    if timeline.earliest:
        lines.append(said["earliest"])
        for m in timeline.earliest:
            day = m.date.isoformat() if m.date else ""
            title = link(clip(printable(m.title or m.article_id), TITLE_CHARS), m.url)
            outlet = f" · {escape(clip(printable(m.source), OUTLET_CHARS))}" if m.source else ""
            lines.append(f"{day} {title}{outlet}")
    return "\n".join(lines)


def format_timeline(timeline: Timeline, *, periods: bool = True) -> str:
    """The summary (total, span, busiest period, undated, earliest) and, with ``periods``, one line per
    period: its articles as a bar and by outlet."""
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
