"""When was it in the news: timelines as Telegram HTML (the caption under the chart), as plain text and
as JSON for the command line; :mod:`bot.present.chart` draws the chart itself.

    caption = render_caption(timeline, "en")    # Telegram HTML, under the 1,024-character caption limit
    caption = render_comparison_caption(timelines, "ru")    # several queries: a line each
    print(format_timelines(timelines))          # the summaries, then a line per week or month
    json.dumps(timelines_json(timelines))       # [{"query", "total", "periods": […], …}, …]
    columns, rows = timeline_table(timelines)   # a row per query and period, for CSV

The caption gives the total, the span and its busiest period, the undated articles (not on the chart),
and the three earliest articles as links with dates; the plain text the same and, per period, its
articles as a bar and by outlet (one query) or a column per query (several), a run of empty periods as
one line. With volumes (:mod:`retrieval.search.shares`) each count also shows as a share of all the
archive's articles of its period. Words, titles and outlets are cut to a size, so the caption stays
under Telegram's limit whatever the archive holds. Labels follow the language of the words counted
(:func:`timeline_language`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from bot.present.csv_export import Cell
from bot.present.cut import clip
from bot.present.markup import escape, link
from bot.present.phrases import TIMELINE, articles
from retrieval.printable import printable
from retrieval.search.searcher import question_language
from retrieval.search.shares import Volume, share
from retrieval.search.timeline import OTHER, UNKNOWN, Mention, Outlet, Period, Timeline

Volumes = Sequence[Sequence[Volume]]
"""Each timeline's volumes, period by period (:func:`retrieval.search.shares.period_volumes`)."""

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


def outlet_label(outlet: Outlet, lang: str) -> str:
    if outlet is UNKNOWN:
        return TIMELINE[lang]["unknown"]
    return TIMELINE[lang]["other"] if outlet == OTHER else clip(printable(outlet), OUTLET_CHARS)


def shown_words(timeline: Timeline) -> str:
    return clip(" + ".join(timeline.words), WORDS_CHARS)


def timeline_language(timelines: Sequence[Timeline]) -> str:
    """The language of the words counted (``ru`` or ``en``): what the labels follow."""
    return question_language(" ".join(" ".join(t.words) for t in timelines))


def percent(part: float | None) -> str:
    return "–" if part is None else f"{100 * part:.1f}%"


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


def render_comparison_caption(timelines: Sequence[Timeline], lang: str) -> str:
    """The caption under a comparison's chart: a line per query (its articles, its busiest period), then
    the span they share; a single query's caption as :func:`render_caption` gives it."""
    if len(timelines) == 1:
        return render_caption(timelines[0], lang)
    said = TIMELINE[lang]
    lines = []
    for t in timelines:
        line = f"📈 <b>{escape(shown_words(t))}</b>: " + articles(t.total, lang)
        if t.busiest is not None:
            period = period_label(t.busiest, t.granularity, lang)
            line += " · " + said["busiest"].format(period=period, n=t.busiest.total)
        if t.undated:
            line += " · " + said["undated_short"].format(n=t.undated)
        lines.append(line)
    first = timelines[0]
    if first.periods:
        start, end = (period_label(p, first.granularity, lang) for p in (first.periods[0], first.periods[-1]))
        lines.append(f"{start} – {end}, {said[first.granularity]}")
    return "\n".join(lines)


def format_timelines(
    timelines: Sequence[Timeline], *, periods: bool = True, volumes: Volumes | None = None
) -> str:
    """Each query's summary (total, span, busiest period, undated, earliest) and, with ``periods``, one
    line per period: its articles as a bar and by outlet (one query) or a column per query (several),
    each with its share of the period's articles when ``volumes`` are given."""
    lines = [line for t in timelines for line in _summary(t, with_earliest=len(timelines) == 1)]
    if periods and timelines[0].periods:
        lines.append("")
        if len(timelines) == 1:
            lines += _bars(timelines[0], volumes[0] if volumes else None)
        else:
            lines += _columns(timelines, volumes)
    return "\n".join(lines)


def _summary(timeline: Timeline, *, with_earliest: bool) -> list[str]:
    words = printable(shown_words(timeline))
    if timeline.total == 0:
        return [f"{words}: no article mentions {'them all' if len(timeline.words) > 1 else 'it'}"]
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
    if timeline.earliest and with_earliest:
        lines.append("earliest:")
        lines.extend(f"  {_mention_line(m)}" for m in timeline.earliest)
    return lines


def _bars(timeline: Timeline, volumes: Sequence[Volume] | None) -> list[str]:
    """A line per period: its articles as a bar and by outlet (with their shares, given ``volumes``)."""
    most = max(p.total for p in timeline.periods) or 1
    lines = []
    for row in shown_rows([p.total for p in timeline.periods]):
        if isinstance(row, range):
            lines.append(_gap(timeline, row))
            continue
        p = timeline.periods[row]
        v = volumes[row] if volumes else None
        bar = "█" * round(BAR * p.total / most) if p.total else ""
        outlets = ", ".join(
            f"{outlet_label(o, 'en')} {p.by_outlet[o]}"
            + (_of(p.by_outlet[o], v.by_outlet.get(o, 0)) if v else "")
            for o in timeline.outlets
            if o in p.by_outlet
        )
        count = f"{p.total:5d}" + (_of(p.total, v.total) if v else "")
        lines.append(f"{p.start.isoformat()}  {count}  {bar}" + (f"  ({outlets})" if outlets else ""))
    return lines


def _columns(timelines: Sequence[Timeline], volumes: Volumes | None) -> list[str]:
    """A header of the queries, then a line per period with a column per query."""
    width = 16 if volumes else 8
    names = [clip(printable(shown_words(t)), width).rjust(width) for t in timelines]
    lines = [" " * 10 + "  " + "  ".join(names)]
    first = timelines[0]
    totals = [sum(t.periods[i].total for t in timelines) for i in range(len(first.periods))]
    for row in shown_rows(totals):
        if isinstance(row, range):
            lines.append(_gap(first, row))
            continue
        cells = []
        for j, t in enumerate(timelines):
            n = t.periods[row].total
            cell = f"{n}" + (_of(n, volumes[j][row].total) if volumes else "")
            cells.append(cell.rjust(width))
        lines.append(f"{first.periods[row].start.isoformat():10}  " + "  ".join(cells))
    return lines


def _of(n: int, of: int) -> str:
    return f" {percent(share(n, of))} of {of}"


def _gap(timeline: Timeline, run: range) -> str:
    first, last = (period_label(timeline.periods[i], timeline.granularity, "en") for i in (run[0], run[-1]))
    return f"{'…':10}  no articles in {len(run)} {timeline.granularity}s ({first} – {last})"


def shown_rows(totals: Sequence[int]) -> Iterator[int | range]:
    """The periods to list, by index: each one with articles and each empty one alone, and a run of
    two or more empty periods as one range."""
    i = 0
    while i < len(totals):
        end = i
        while end < len(totals) and totals[end] == 0:
            end += 1
        if end - i >= 2:
            yield range(i, end)
            i = end
        else:
            yield i
            i += 1


def _mention_line(m: Mention) -> str:
    parts = [m.date.isoformat() if m.date else "undated", m.source, m.title or m.article_id, m.url]
    return " — ".join(printable(p) for p in parts if p)


TIMELINE_COLUMNS = ("query", "period", "count", "articles", "share")
"""``newsbot timeline --csv``: a query's period a row; ``period``: its first day; ``articles`` and
``share``: the archive's articles that period and the count's share of them (only with ``--share``)."""


def timeline_table(
    timelines: Sequence[Timeline], volumes: Volumes | None = None
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """The columns (:data:`TIMELINE_COLUMNS`, the last two only with ``volumes``) and a row per query
    and period, for CSV."""
    rows = []
    for i, t in enumerate(timelines):
        for j, p in enumerate(t.periods):
            row: tuple[Cell, ...] = (t.query, p.start, p.total)
            if volumes:
                v = volumes[i][j]
                row += (v.total, _rounded(share(p.total, v.total)))
            rows.append(row)
    return (TIMELINE_COLUMNS if volumes else TIMELINE_COLUMNS[:3]), rows


def timelines_json(timelines: Sequence[Timeline], volumes: Volumes | None = None) -> list[dict[str, Any]]:
    """A series per query: ``[{"query", "total", "periods": [{"start", "count", "by_outlet"}…], …}]``;
    with ``volumes`` each period also has ``articles`` (the archive's, that period), ``share`` and
    ``share_by_outlet``."""
    return [timeline_json(t, volumes[i] if volumes else None) for i, t in enumerate(timelines)]


def timeline_json(timeline: Timeline, volumes: Sequence[Volume] | None = None) -> dict[str, Any]:
    return {
        "query": timeline.query,
        "words": list(timeline.words),
        "total": timeline.total,
        "undated": timeline.undated,
        "granularity": timeline.granularity or None,
        "busiest": timeline.busiest.start.isoformat() if timeline.busiest else None,
        "outlets": [_json_outlet(o) for o in timeline.outlets],
        "periods": [_period_json(p, volumes[i] if volumes else None) for i, p in enumerate(timeline.periods)],
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


def _period_json(period: Period, volume: Volume | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "start": period.start.isoformat(),
        "count": period.total,
        "by_outlet": {_json_outlet(o): n for o, n in period.by_outlet.items()},
    }
    if volume is not None:
        out["articles"] = volume.total
        out["share"] = _rounded(share(period.total, volume.total))
        out["share_by_outlet"] = {
            _json_outlet(o): _rounded(share(n, volume.by_outlet.get(o, 0)))
            for o, n in period.by_outlet.items()
        }
    return out


def _json_outlet(outlet: Outlet) -> str:
    return "(unknown)" if outlet is UNKNOWN else outlet or "(other)"


def _rounded(part: float | None) -> float | None:
    return None if part is None else round(part, 4)
