"""``/who NAME [filters]``: a person, organisation or place as the archive names it, and ``/entities [kind]
[filters]``: who and what it named most.

``/who`` sends the chart of the name's articles per month (:func:`retrieval.entities.reading.
month_timeline`, drawn as ``/timeline`` draws) with its caption, then the page (:mod:`bot.present.who`)
with buttons for the next steps: 🕑 the name's ``/timeline``, 🔎 its ``/search``, and 👤 the ``/who`` of each
of the names most named with it, all with the same filters. A name nobody mentions gets the nearest known
names as 👤 buttons. Everything is in the asker's client language.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from telegram import InlineKeyboardMarkup, Message, Update

from bot.present.chart import render_chart
from bot.present.phrases import KIND_WORDS, WHO, language, say
from bot.present.timeline import render_caption
from bot.present.who import entities_html, not_mentioned_html, who_html
from bot.query_syntax import Query
from bot.telegram.asking import work_on
from bot.telegram.context import BotContext
from bot.telegram.handlers.buttons import pressed
from bot.telegram.handlers.search import search_pages
from bot.telegram.keyboards import SearchFor, TimelineOf, WhoOf, page_keyboard, who_keyboard
from bot.telegram.messages import argument_of, user_language
from bot.telegram.services import Services
from retrieval.entities.reading import NotMentioned

NAMED_BUTTONS = 4
"""👤 buttons under a page: the names most named with it."""
ENTITIES_SHOWN = 20


@dataclass(frozen=True, slots=True)
class WhoReply:
    """What ``/who`` sends: the chart with its caption (when something is dated), then the page."""

    html: str
    keyboard: InlineKeyboardMarkup | None
    png: bytes | None = None
    caption: str = ""


def who_reply(services: Services, query: Query, lang: str) -> WhoReply:
    """``/who``'s reply to ``query`` (blocking: run it in a thread)."""
    found = services.archive.who(query)
    if isinstance(found, NotMentioned):
        html = not_mentioned_html(found.name, lang, nearest=bool(found.nearest))
        return WhoReply(html, who_keyboard(query, found.nearest))
    report, timeline = found.report, found.timeline
    named = [c.name for c in report.co_mentioned[:NAMED_BUTTONS]]
    labels = (WHO[lang]["timeline"], WHO[lang]["search"])
    keyboard = who_keyboard(replace(query, text=report.name), named, labels)
    png = render_chart(timeline, lang) if timeline.periods else None
    return WhoReply(who_html(report, found.best, lang), keyboard, png, render_caption(timeline, lang))


async def send_who(message: Message, reply: WhoReply) -> None:
    if reply.png is not None:
        await message.reply_photo(reply.png, caption=reply.caption)
    await message.reply_html(reply.html, reply_markup=reply.keyboard)


async def on_who(update: Update, context: BotContext) -> None:
    services = context.services
    lang = language(user_language(update))

    def work(query: Query) -> WhoReply:
        return who_reply(services, query, lang)

    await work_on(update, services, argument_of(update), "empty_who", work, send_who)


async def on_entities(update: Update, context: BotContext) -> None:
    services = context.services
    lang = language(user_language(update))

    def work(query: Query) -> str:
        words = query.text.casefold().split()
        kinds = [KIND_WORDS.get(w) for w in words]
        if len(kinds) > 1 or None in kinds:
            return say("empty_entities", user_language(update))
        named = services.archive.most_named(query, kind=next(iter(kinds), None), limit=ENTITIES_SHOWN)
        return entities_html(named, lang)

    async def reply(message: Message, html: str) -> None:
        await message.reply_html(html)

    await work_on(update, services, argument_of(update), None, work, reply)


async def asked_by_button(update: Update, context: BotContext) -> tuple[Message, Query] | None:
    """The message under which a 🕑, 🔎 or 👤 button was pressed and the query it asks (the press
    answered); None when the user may not ask or the button is too old."""
    press = await pressed(update, context)
    if press is None:
        return None
    data: object = press.data
    if not isinstance(data, WhoOf | TimelineOf | SearchFor) or not isinstance(press.message, Message):
        await press.answer(say("expired", user_language(update)), show_alert=True)
        return None
    await press.answer()
    return press.message, data.query


async def on_who_button(update: Update, context: BotContext) -> None:
    """👤: the ``/who`` of the name on the button."""
    services, asked = context.services, await asked_by_button(update, context)
    if asked is None:
        return
    message, query = asked
    async with services.answering:
        reply = await asyncio.to_thread(who_reply, services, query, language(user_language(update)))
    await send_who(message, reply)


async def on_timeline_button(update: Update, context: BotContext) -> None:
    """🕑: the ``/timeline`` of the page's name: its chart per week or month, and its earliest articles."""
    services, asked = context.services, await asked_by_button(update, context)
    if asked is None:
        return
    message, query = asked
    lang = language(user_language(update))
    async with services.answering:
        timeline = await asyncio.to_thread(services.archive.timeline, query)
        png = await asyncio.to_thread(render_chart, timeline, lang) if timeline.periods else None
    caption = render_caption(timeline, lang)
    await (message.reply_html(caption) if png is None else message.reply_photo(png, caption=caption))


async def on_search_button(update: Update, context: BotContext) -> None:
    """🔎: the ``/search`` of the page's name, page by page."""
    services, asked = context.services, await asked_by_button(update, context)
    if asked is None:
        return
    message, query = asked
    async with services.answering:
        pages = await asyncio.to_thread(search_pages, services, query)
    await message.reply_html(pages.pages[0], reply_markup=page_keyboard(pages, 0))
