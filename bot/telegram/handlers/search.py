"""``/search words [filters]``: passages with date, outlet and link, page by page (« / » buttons), and
📚 every copy of each story when copies were left out."""

from __future__ import annotations

from telegram import Message, Update

from bot.present.pages import SearchPages, render_search
from bot.query_syntax import Query
from bot.telegram.asking import work_on
from bot.telegram.context import BotContext
from bot.telegram.keyboards import page_keyboard
from bot.telegram.messages import argument_of
from bot.telegram.services import Services

SEARCH_RESULTS = 20
"""Passages a search shows at most (over its pages)."""


def search_pages(services: Services, query: Query, *, all_copies: bool = False) -> SearchPages:
    """The search's pages (blocking: run it in a thread); kept for "All copies" unless it shows them."""
    passages = services.archive.search(query, SEARCH_RESULTS, all_copies=all_copies)
    note = "; ".join(n for n in (services.archive.shortened(query), services.archive.left_out(query)) if n)
    return render_search(query.text, passages, note=note, request=None if all_copies else query)


async def on_search(update: Update, context: BotContext) -> None:
    services = context.services
    raw = argument_of(update)

    async def reply(message: Message, pages: SearchPages) -> None:
        await message.reply_html(pages.pages[0], reply_markup=page_keyboard(pages, 0))

    await work_on(update, services, raw, "empty_search", lambda query: search_pages(services, query), reply)
