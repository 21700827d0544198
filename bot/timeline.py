"""``/timeline words [filters]``: when was it in the news? A chart and a caption over a Timeline.

    png = render_chart(timeline, "en")      # PNG bytes: bars per week or month, stacked by outlet
    caption = render_caption(timeline, "en")  # Telegram HTML, under the 1,024-character caption limit

The chart is drawn by matplotlib on a figure of its own, saved as PNG by its Agg renderer (no pyplot
state: the handlers draw in worker threads). The caption gives the total, the span and its busiest
period, the undated articles (not on the chart), and the three earliest articles as links with dates.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.handlers import command_argument, user_language, work_on
from bot.phrases import language, say
from bot.query_syntax import Query
from bot.render import escape, link
from bot.services import services_of
from retrieval.printable import printable
from retrieval.search.mentions import NoWords
from retrieval.search.timeline import OTHER, Period, Timeline

WORDS_CHARS = 100
TITLE_CHARS = 120
OUTLET_CHARS = 40
"""What the caption shows of the words, a title and an outlet at most (so it stays under 1,024)."""
SIZE = (10.0, 4.5)  # inches, at 100 dpi: 1000 x 450 pixels
OTHER_COLOUR = "#b0b0b0"

_ARTICLE_FORMS = {"en": ("article", "articles", "articles"), "ru": ("статья", "статьи", "статей")}
_SAID: dict[str, dict[str, str]] = {
    "en": {
        "all": "mention all of these words",
        "none": "no article mentions {them}",
        "it": "it",
        "them": "them all",
        "week": "by week",
        "month": "by month",
        "year": "by year",
        "week_of": "week of {day}",
        "busiest": "Busiest: {period} ({n})",
        "undated": "Undated: {n} of them, not on the chart",
        "earliest": "Earliest:",
        "other": "other",
        "axis_week": "week",
        "axis_month": "month",
        "axis_year": "year",
        "axis_count": "articles",
        "title": "“{words}”: articles {per}",
        "per_week": "per week",
        "per_month": "per month",
        "per_year": "per year",
    },
    "ru": {
        "all": "упоминают все эти слова",
        "none": "ни одна статья {them} не упоминает",
        "it": "их",
        "them": "их все",
        "week": "по неделям",
        "month": "по месяцам",
        "year": "по годам",
        "week_of": "неделя с {day}",
        "busiest": "Больше всего: {period} ({n})",
        "undated": "Без даты: {n} из них, на графике их нет",
        "earliest": "Первые:",
        "other": "другие",
        "axis_week": "неделя",
        "axis_month": "месяц",
        "axis_year": "год",
        "axis_count": "статей",
        "title": "«{words}»: статьи {per}",
        "per_week": "по неделям",
        "per_month": "по месяцам",
        "per_year": "по годам",
    },
}


def articles(n: int, lang: str) -> str:
    """``n`` with the word for articles in the number's form: "1 article", "3 статьи", "5 статей"."""
    one, few, many = _ARTICLE_FORMS[lang]
    if lang == "en":
        return f"{n} {one if n == 1 else many}"
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    return f"{n} {few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many}"


def period_label(period: Period, granularity: str, lang: str) -> str:
    """``week of 2026-01-05``, ``2026-01`` or ``2026``."""
    if granularity == "week":
        return _SAID[lang]["week_of"].format(day=period.start.isoformat())
    return period.start.isoformat()[: 4 if granularity == "year" else 7]


def outlet_label(outlet: str, lang: str) -> str:
    return _SAID[lang]["other"] if outlet == OTHER else _cut(printable(outlet), OUTLET_CHARS)


def shown_words(timeline: Timeline) -> str:
    return _cut(" + ".join(timeline.words), WORDS_CHARS)


def render_caption(timeline: Timeline, lang: str) -> str:
    """The caption under the chart (or the whole reply when nothing was found), as Telegram HTML."""
    said = _SAID[lang]
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
            title = link(_cut(printable(m.title or m.article_id), TITLE_CHARS), m.url)
            outlet = f" · {escape(_cut(printable(m.source), OUTLET_CHARS))}" if m.source else ""
            lines.append(f"{day} {title}{outlet}")
    return "\n".join(lines)


def render_chart(timeline: Timeline, lang: str) -> bytes:
    """The bars per period, stacked by outlet, as PNG bytes (``timeline.periods`` must not be empty)."""
    said = _SAID[lang]
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


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class TimelineReply:
    """What the bot sends: the chart with the caption, or the caption alone when there is nothing to draw."""

    caption: str
    png: bytes | None = None


async def on_timeline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = services_of(context.bot_data)
    raw = command_argument(update.effective_message.text if update.effective_message else "")
    lang = language(user_language(update))

    def work(query: Query) -> TimelineReply:
        try:
            timeline = services.archive.timeline(query)
        except NoWords:
            return TimelineReply(say("no_words", user_language(update), words=escape(query.text)))
        caption = render_caption(timeline, lang)
        return TimelineReply(caption, render_chart(timeline, lang) if timeline.periods else None)

    async def reply(message: Message, rendered: TimelineReply) -> None:
        if rendered.png is None:
            await message.reply_html(rendered.caption)
        else:
            await message.reply_photo(rendered.png, caption=rendered.caption)

    await work_on(update, services, raw, "empty_timeline", work, reply)
