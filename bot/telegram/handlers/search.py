"""``/search words [filters]``: passages with date, outlet and link, page by page (« / » buttons), and
📚 every copy of each story when copies were left out, 📎 the results as a CSV document."""

from __future__ import annotations

from telegram import Message, Update

from bot.present.csv_export import SEARCH_COLUMNS, csv_text
from bot.present.pages import SearchPages, render_search
from bot.query_syntax import Query
from bot.search_export import EXPORT_LIMIT, exporting, search_rows
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
    mentioned = services.archive.mentioned(passages)
    return render_search(
        query.text, passages, note=note, request=None if all_copies else query, mentioned=mentioned
    )


def search_csv(services: Services, query: Query) -> tuple[bytes, int]:
    """The search's results as ``newsbot search --csv`` writes them, up to :data:`EXPORT_LIMIT` (blocking:
    run it in a thread): the CSV in UTF-8 and its rows."""
    archive = services.archive
    answerer = exporting(archive.answerer(), archive.embeddings, EXPORT_LIMIT)
    rows = list(search_rows(answerer, query.text, archive.filters(query), EXPORT_LIMIT))
    return csv_text(SEARCH_COLUMNS, rows).encode("utf-8"), len(rows)


async def on_search(update: Update, context: BotContext) -> None:
    services = context.services
    raw = argument_of(update)

    async def reply(message: Message, pages: SearchPages) -> None:
        await message.reply_html(pages.pages[0], reply_markup=page_keyboard(pages, 0))

    await work_on(update, services, raw, "empty_search", lambda query: search_pages(services, query), reply)
