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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from telegram import InlineKeyboardMarkup, Message, Update

from bot.present.chart import render_chart
from bot.present.pages import SearchPages
from bot.present.phrases import KIND_WORDS, WHO, language, say
from bot.present.timeline import render_caption
from bot.present.who import entities_html, not_mentioned_html, who_html
from bot.query_syntax import Query
from bot.telegram.asking import work_on
from bot.telegram.context import BotContext
from bot.telegram.handlers.buttons import pressed
from bot.telegram.handlers.search import search_pages
from bot.telegram.handlers.timeline import TimelineReply
from bot.telegram.keyboards import SearchFor, TimelineOf, WhoOf, page_keyboard, who_keyboard
from bot.telegram.messages import argument_of, user_language
from bot.telegram.services import Services
from retrieval.entities.reading import NotMentioned

T = TypeVar("T")
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


async def on_button(
    update: Update,
    context: BotContext,
    work: Callable[[Services, Query, str], T],
    reply: Callable[[Message, T], Awaitable[None]],
) -> None:
    """A 🕑, 🔎 or 👤 press: answered, then its query's ``work`` (in a thread, within the answering limit)
    and the ``reply`` under the pressed message; a button too old for its data says so."""
    press = await pressed(update, context)
    if press is None:
        return
    data: object = press.data
    if not isinstance(data, WhoOf | TimelineOf | SearchFor) or not isinstance(press.message, Message):
        await press.answer(say("expired", user_language(update)), show_alert=True)
        return
    await press.answer()
    services, lang = context.services, language(user_language(update))
    async with services.answering:
        result = await asyncio.to_thread(work, services, data.query, lang)
    await reply(press.message, result)


def timeline_reply(services: Services, query: Query, lang: str) -> TimelineReply:
    """🕑: the ``/timeline`` of the page's name: its chart per week or month, and its earliest articles."""
    timeline = services.archive.timeline(query)
    caption = render_caption(timeline, lang)
    return TimelineReply(caption, render_chart(timeline, lang) if timeline.periods else None)


async def send_timeline(message: Message, reply: TimelineReply) -> None:
    if reply.png is None:
        await message.reply_html(reply.caption)
    else:
        await message.reply_photo(reply.png, caption=reply.caption)


def search_reply(services: Services, query: Query, lang: str) -> SearchPages:
    """🔎: the ``/search`` of the page's name, page by page."""
    return search_pages(services, query)


async def send_pages(message: Message, pages: SearchPages) -> None:
    await message.reply_html(pages.pages[0], reply_markup=page_keyboard(pages, 0))


async def on_who_button(update: Update, context: BotContext) -> None:
    await on_button(update, context, who_reply, send_who)


async def on_timeline_button(update: Update, context: BotContext) -> None:
    await on_button(update, context, timeline_reply, send_timeline)


async def on_search_button(update: Update, context: BotContext) -> None:
    await on_button(update, context, search_reply, send_pages)
