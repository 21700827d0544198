"""The administrators' feed commands:

    /feeds                  the list: last poll, last success, last error, articles added
    /addfeed URL [source]   add a feed (the source names its outlet; else the feed's own title)
    /removefeed URL         remove it (its articles stay in the archive)
    /pollfeeds              poll every feed now; the status message ends with each feed's outcome

besides the rounds the bot runs every ``NEWSBOT_FEED_INTERVAL`` minutes
(:mod:`bot.telegram.jobs.feed_rounds`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TypeVar

from telegram import Message, Update

from bot.present.feeds import render_feeds
from bot.present.markup import escape
from bot.telegram.context import BotContext
from bot.telegram.guards import for_admins
from bot.telegram.jobs.feed_rounds import FeedPolling
from bot.telegram.messages import MessageBoard, argument_of
from ingest.feeds.registry import Feed, FeedError, FeedRegistry
from retrieval.printable import printable

log = logging.getLogger("newsbot.bot.feeds")
T = TypeVar("T")


async def _registry_call(polling: FeedPolling, work: Callable[[FeedRegistry], T]) -> T:
    return await asyncio.to_thread(lambda: work(polling.registry()))


def _typed(command: str) -> Callable[[Update], str]:
    """What the log names of an admin's command: as typed, with its argument."""
    return lambda update: f"{command} {argument_of(update)}".strip()


@for_admins("/feeds")
async def on_feeds(update: Update, context: BotContext, message: Message) -> None:
    services = context.services
    feeds = await _registry_call(services.feeds, lambda registry: registry.feeds())
    for part in render_feeds(feeds, services.settings.feed_interval):
        await message.reply_html(part, do_quote=False)


@for_admins("/addfeed", action=_typed("/addfeed"))
async def on_addfeed(update: Update, context: BotContext, message: Message) -> None:
    services = context.services
    argument = argument_of(update)
    url, source = [*argument.split(maxsplit=1), "", ""][:2]
    if not url:
        await message.reply_html(
            "Give the feed's URL, e.g. <code>/addfeed https://example.org/rss.xml</code>"
        )
        return

    def add(registry: FeedRegistry) -> tuple[Feed, bool]:
        known = registry.get(url) is not None
        return registry.add(url, source.strip() or None), known

    try:
        feed, known = await _registry_call(services.feeds, add)
    except FeedError as exc:
        await message.reply_html(f"⚠️ {escape(printable(str(exc)))}")
        return
    named = f" ({escape(feed.source)})" if feed.source else ""
    if known:
        await message.reply_html(f"{escape(feed.url)}{named} is in the feed list already.")
        return
    every = services.settings.feed_interval
    await message.reply_html(
        f"✅ Added {escape(feed.url)}{named}: it is polled every {every:g} min; /pollfeeds polls now."
    )


@for_admins("/removefeed", action=_typed("/removefeed"))
async def on_removefeed(update: Update, context: BotContext, message: Message) -> None:
    url = argument_of(update).strip()
    if not url:
        await message.reply_html("Give the feed's URL, as /feeds lists it: <code>/removefeed URL</code>")
        return
    try:
        removed = await _registry_call(context.services.feeds, lambda registry: registry.remove(url))
    except FeedError as exc:
        await message.reply_html(f"⚠️ {escape(printable(str(exc)))}")
        return
    if removed:
        await message.reply_html(f"Removed {escape(url)}; its articles stay in the archive.")
    else:
        await message.reply_html(f"{escape(url)} is not in the feed list (see /feeds).")


@for_admins("/pollfeeds")
async def on_pollfeeds(update: Update, context: BotContext, message: Message) -> None:
    polling = context.services.feeds
    if polling.running:
        await message.reply_html("A feed poll is running already; /feeds shows how the feeds stand.")
        return
    status = await message.reply_html("⏳ Polling the feeds…")
    polling.start(only_due=False, board=MessageBoard(status))
