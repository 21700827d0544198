"""Inline mode: ``@bot words`` typed in any chat lists matching passages; choosing one posts it, cited.

    @newsbot_bot ключевая ставка since:2025-12-01      (the filters of /search work here too)

Each result shows the article's title, then date · outlet · the sentence that matches best; choosing it
posts the passage with its title (linking to the article), date and outlet, the sentence in bold.

Answers are cached by Telegram for ``CACHE_SECONDS`` per query text (``cache_time``): a repeated query
within seconds never reaches the bot, so no cache of our own is kept. With an allow-list the results are
personal (``is_personal``): Telegram would otherwise hand a member's cached results to anyone typing the
same words. An inline query comes with no chat, so only users on the allow-list (and admins) get results,
not everyone in an allowed group. Clients send a query as the user types: each user's queries are worked
on one at a time, and one superseded by a newer query while it waited is dropped unanswered.
"""

from __future__ import annotations

import asyncio
import logging
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import (
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.present.cut import around
from bot.present.html import outlet, title_link
from bot.present.markup import escape
from bot.present.phrases import say
from bot.present.shown import without_weak, words
from bot.query_syntax import FilterError, Query, parse_query
from bot.telegram.context import BotContext
from bot.telegram.guards import admit
from bot.telegram.services import Services
from retrieval.answer.compose import score_sentences
from retrieval.errors import NewsbotError
from retrieval.records import Passage

INLINE_RESULTS = 10
CACHE_SECONDS = 5
TITLE_CHARS = 120
DESCRIPTION_CHARS = 200
CONTEXT_CHARS = 900
"""The most of a passage a posted result shows around its matching sentence."""
BUTTON_CHARS = 64
LATEST = "inline_query"
"""The key in ``context.user_data`` of the user's latest inline query id."""

log = logging.getLogger("newsbot.bot")


@dataclass(frozen=True, slots=True)
class Found:
    """A passage found for an inline query, with its sentence that matches the query best."""

    passage: Passage
    sentence: str


def find(services: Services, query: Query) -> list[Found]:
    """The passages that match ``query`` at least loosely, best first (blocks: run it in a thread)."""
    passages, _ = without_weak(services.archive.search(query, INLINE_RESULTS))
    return [Found(p, best_sentence(query.text, p)) for p in passages]


def best_sentence(query: str, passage: Passage) -> str:
    """The sentence of ``passage`` that shares most with ``query`` (within its matching part when none
    does, as for an English query over a Russian passage)."""
    ranked = score_sentences(query, [passage], max_passages=1)
    if ranked:
        return ranked[0].text
    lo, hi = passage.focus or (0, len(passage.chunk.text))
    return passage.chunk.text[lo:hi].strip()


def shorten(text: str, width: int) -> str:
    """``text`` on one line, whole words, within ``width`` (what a result's title and line may show)."""
    return textwrap.shorten(text, width, placeholder=" …")


def in_context(text: str, sentence: str, room: int = CONTEXT_CHARS) -> tuple[str, str, str]:
    """``text`` as (before, ``sentence``, after), cut at spaces to about ``room`` characters in all."""
    at = text.find(sentence) if sentence else -1
    if at < 0 or len(sentence) >= room:
        return "", shorten(text if at < 0 else sentence, room), ""
    before, after = around(text, at, at + len(sentence), room)
    return before, sentence, after


def render_found(found: Found, undated: str) -> str:
    """The message choosing a result posts: title (linked), date · outlet, the passage (sentence bold)."""
    c = found.passage.chunk
    head = [c.date.isoformat() if c.date else undated, *([outlet(c.source)] if c.source else [])]
    before, sentence, after = in_context(c.text, found.sentence)
    body = f"{escape(before)}<b>{escape(sentence)}</b>{escape(after)}"
    title = title_link(c.title or c.article_id, c.url)
    return f"<b>{title}</b>\n{' · '.join(head)}\n<blockquote>{body}</blockquote>"


def inline_results(query: Query, found: Sequence[Found]) -> list[InlineQueryResultArticle]:
    """Up to ``INLINE_RESULTS`` articles: title; date · outlet · sentence; the cited passage to post."""
    undated = words(query.text)["undated"]
    results = []
    for n, item in enumerate(found[:INLINE_RESULTS], 1):
        c = item.passage.chunk
        line = [c.date.isoformat() if c.date else undated, *([c.source] if c.source else []), item.sentence]
        content = InputTextMessageContent(
            render_found(item, undated),
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
        title = shorten(c.title or c.article_id, TITLE_CHARS)
        description = shorten(" · ".join(line), DESCRIPTION_CHARS)
        results.append(InlineQueryResultArticle(str(n), title, content, description=description))
    return results


def hint(text: str) -> InlineQueryResultsButton:
    """A button above the (empty) results that says ``text`` and opens the bot's help."""
    return InlineQueryResultsButton(shorten(text, BUTTON_CHARS), start_parameter="help")


async def answer(
    inline: InlineQuery,
    results: Sequence[InlineQueryResultArticle],
    *,
    personal: bool,
    button: InlineQueryResultsButton | None = None,
) -> None:
    try:
        await inline.answer(results, cache_time=CACHE_SECONDS, is_personal=personal, button=button)
    except TelegramError as exc:  # too late (the user typed on), say: nobody waits for it any more
        log.info("inline query %s not answered: %s", inline.id, exc)


async def on_inline_query(update: Update, context: BotContext) -> None:
    inline = update.inline_query
    if inline is None:
        return
    services = context.services
    user = inline.from_user
    if not await admit(update, services, counts=False):
        await answer(inline, [], personal=True)
        return
    personal = bool(services.access.allowed_ids)
    query = parse_query(inline.query)
    if not query.text:
        await answer(inline, [], personal=personal, button=hint(say("inline_hint", user.language_code)))
        return
    latest = context.user_data if context.user_data is not None else {}
    latest[LATEST] = inline.id
    async with services.turns.turn(user.id):
        if latest.get(LATEST) != inline.id:
            return  # the user typed on: a newer query replaces this one
        try:
            async with services.answering:
                found = await asyncio.to_thread(find, services, query)
        except FilterError as exc:
            await answer(inline, [], personal=personal, button=hint(f"⚠️ {exc}"))
            return
        except NewsbotError as exc:
            log.warning("inline query %s from user %s: %s: %s", inline.id, user.id, type(exc).__name__, exc)
            await answer(inline, [], personal=personal, button=hint(say("inline_down", user.language_code)))
            return
        finally:
            if latest.get(LATEST) == inline.id:
                del latest[LATEST]
        await answer(inline, inline_results(query, found), personal=personal)
