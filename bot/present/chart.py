"""The timeline's chart: bars per week, month or year, stacked by outlet, as PNG bytes; or several
timelines compared, a line each (their counts, or their shares of each period's articles).

    png = render_chart(timeline, "en")      # 1000 x 450 pixels; the outlets' legend beside the bars
    png = render_comparison(timelines, "ru", volumes)   # a line per query; shares when volumes are given

Drawn by matplotlib on a figure of its own and saved by its Agg renderer (no pyplot state: the bot draws
in worker threads). Imported only by what draws (``/timeline``, ``newsbot timeline --png``): matplotlib
takes seconds to load.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.present.phrases import TIMELINE
from bot.present.timeline import Volumes, outlet_label, shown_words
from retrieval.search.shares import share
from retrieval.search.timeline import OTHER, UNKNOWN, Timeline

SIZE = (10.0, 4.5)  # inches, at 100 dpi: 1000 x 450 pixels
OTHER_COLOUR = "#b0b0b0"
UNKNOWN_COLOUR = "#e0e0e0"
SERIES_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd")
"""A colour per query compared (as many as queries may be compared)."""


def render_chart(timeline: Timeline, lang: str) -> bytes:
    """The bars per period, stacked by outlet, as PNG bytes (``timeline.periods`` must not be empty)."""
    said = TIMELINE[lang]
    fig = Figure(figsize=SIZE, dpi=100, layout="constrained")
    ax = fig.subplots()
    starts = [p.start for p in timeline.periods]
    width = {"week": 5.5, "month": 25.0}.get(timeline.granularity, 330.0)
    bottom = [0] * len(starts)
    for outlet in timeline.outlets:
        heights = [p.by_outlet.get(outlet, 0) for p in timeline.periods]
        colour = UNKNOWN_COLOUR if outlet is UNKNOWN else OTHER_COLOUR if outlet == OTHER else None
        ax.bar(
            starts,  # type: ignore[arg-type]  # dates work (matplotlib's units), its stubs list numbers only
            heights,
            width=width,
            bottom=bottom,
            align="edge",
            label=outlet_label(outlet, lang),
            color=colour,
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    per = said[f"per_{timeline.granularity}"]
    ax.set_title(said["title"].format(words=shown_words(timeline), per=per))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _finish(fig, ax, timeline.granularity, said["axis_count"], lang)


def render_comparison(timelines: Sequence[Timeline], lang: str, volumes: Volumes | None = None) -> bytes:
    """A line per timeline (they share their periods), in its own colour and named in the legend: its
    articles per period, or with ``volumes`` its share (%) of all the archive's articles of each period
    (a period without any is left out, and the line joins the periods on either side)."""
    said = TIMELINE[lang]
    fig = Figure(figsize=SIZE, dpi=100, layout="constrained")
    ax = fig.subplots()
    first = timelines[0]
    starts = [p.start for p in first.periods]
    for i, timeline in enumerate(timelines):
        points = [(start, float(p.total)) for start, p in zip(starts, timeline.periods, strict=True)]
        if volumes:  # the periods with articles: a share each
            parts = [
                (p.start, share(p.total, v.total)) for p, v in zip(timeline.periods, volumes[i], strict=True)
            ]
            points = [(start, 100 * part) for start, part in parts if part is not None]
        ax.plot(
            [start for start, _ in points],  # type: ignore[arg-type]  # dates work (matplotlib's units)
            [height for _, height in points],
            marker="o",
            markersize=3,
            linewidth=1.6,
            color=SERIES_COLOURS[i % len(SERIES_COLOURS)],
            label=shown_words(timeline),
        )
    per = said[f"per_{first.granularity}"]
    ax.set_title(said["compared_share" if volumes else "compared"].format(per=per))
    ax.set_ylim(bottom=0)
    if not volumes:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _finish(fig, ax, first.granularity, said["axis_share" if volumes else "axis_count"], lang)


def _finish(fig: Figure, ax: Axes, granularity: str, axis: str, lang: str) -> bytes:
    """The axes' labels and the legend beside the plot; the figure as PNG bytes."""
    ax.set_xlabel(TIMELINE[lang][f"axis_{granularity}"])
    ax.set_ylabel(axis)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)  # beside
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
