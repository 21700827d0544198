"""``/timeline words [filters]``: when was it in the news? A chart of the articles that mention the words,
per week or month, under a caption (:mod:`bot.present.timeline`, :mod:`bot.present.chart`); the caption
alone when there is nothing to draw. ``/timeline A | B``: up to five queries on one chart, a line each."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message, Update

from bot.present.chart import render_chart, render_comparison
from bot.present.markup import escape
from bot.present.phrases import language, say
from bot.present.timeline import render_comparison_caption
from bot.query_syntax import Query
from bot.telegram.asking import work_on
from bot.telegram.context import BotContext
from bot.telegram.messages import argument_of, user_language
from retrieval.search.mentions import NoWords
from retrieval.search.timeline import MOST_COMPARED, Timeline, TooManyQueries


@dataclass(frozen=True, slots=True)
class TimelineReply:
    """What the bot sends: the chart with the caption, or the caption alone when there is nothing to draw."""

    caption: str
    png: bytes | None = None


async def on_timeline(update: Update, context: BotContext) -> None:
    services = context.services
    raw = argument_of(update)
    lang = language(user_language(update))

    def work(query: Query) -> TimelineReply:
        try:
            timelines = services.archive.timelines(query)
        except NoWords:
            return TimelineReply(say("no_words", user_language(update), words=escape(query.text)))
        except TooManyQueries:
            return TimelineReply(say("too_many_timelines", user_language(update), most=MOST_COMPARED))
        caption = render_comparison_caption(timelines, lang)
        return TimelineReply(caption, _chart(timelines, lang) if timelines[0].periods else None)

    async def reply(message: Message, rendered: TimelineReply) -> None:
        if rendered.png is None:
            await message.reply_html(rendered.caption)
        else:
            await message.reply_photo(rendered.png, caption=rendered.caption)

    await work_on(update, services, raw, "empty_timeline", work, reply)


def _chart(timelines: list[Timeline], lang: str) -> bytes:
    """One query's bars by outlet, or a line per query."""
    return render_chart(timelines[0], lang) if len(timelines) == 1 else render_comparison(timelines, lang)
