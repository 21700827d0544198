"""The timeline's chart: bars per week, month or year, stacked by outlet, as PNG bytes.

    png = render_chart(timeline, "en")      # 1000 x 450 pixels; the outlets' legend beside the bars

Drawn by matplotlib on a figure of its own and saved by its Agg renderer (no pyplot state: the bot draws
in worker threads). Imported only by what draws (``/timeline``, ``newsbot timeline --png``): matplotlib
takes seconds to load.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.present.phrases import TIMELINE
from bot.present.timeline import outlet_label, shown_words
from retrieval.search.timeline import OTHER, Timeline

SIZE = (10.0, 4.5)  # inches, at 100 dpi: 1000 x 450 pixels
OTHER_COLOUR = "#b0b0b0"


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
        colour = OTHER_COLOUR if outlet == OTHER else None
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
    ax.set_xlabel(said[f"axis_{timeline.granularity}"])
    ax.set_ylabel(said["axis_count"])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)  # beside
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
