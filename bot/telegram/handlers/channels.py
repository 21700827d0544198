"""Telegram channels as a live source: each post (and edit) in a listed channel becomes an article.

The bot must be an administrator of the channel (Telegram sends channel posts only to those); the channels
it reads are listed in ``NEWSBOT_CHANNELS`` (ids like ``-1001234567890`` or ``@names``). A post with text,
or a caption, becomes the article ``tg:<chat id>:<message id>`` with the post's date, its ``t.me`` link and
the channel's title as the outlet; an edit replaces it (same id, the pipeline re-embeds what changed). A post
from another channel, or media without text, is skipped (and said in the log). The posts are ingested a
moment later, together (:mod:`bot.telegram.jobs.channel_posts`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Chat, Message, Update

from bot.telegram.context import BotContext
from ingest.loaders import ArticleLimits
from ingest.loaders.article import RawArticle, add_article
from retrieval.records import LoadResult

log = logging.getLogger("newsbot.bot.channels")


def post_link(post: Message) -> str:
    """The post's link (PTB's): ``t.me/<name>/<id>``, or ``t.me/c/<id without -100>/<id>`` for a channel
    without a username (it opens for the channel's members)."""
    link = post.link
    assert link is not None  # a channel's post always has one
    return link


def article_id(chat_id: int, message_id: int) -> str:
    return f"tg:{chat_id}:{message_id}"


def post_article(post: Message, limits: ArticleLimits) -> LoadResult:
    """The article a channel post makes (``articles``), or why it makes none (``skipped``: no text)."""
    link = post_link(post)
    raw = RawArticle(
        text=post.text or post.caption,
        id=article_id(post.chat.id, post.message_id),
        date=post.date.date().isoformat(),
        url=link,
        source=post.chat.title,
    )
    result = LoadResult()
    add_article(result, raw, limits, origin=link, fallback_id=raw.id or link)
    return result


def is_listed(chat: Chat, channels: Sequence[str]) -> bool:
    """Whether ``NEWSBOT_CHANNELS`` names the chat, by id or by @name (names compare without case, as
    Telegram's do)."""
    name = f"@{chat.username}".lower() if chat.username else None
    return any(entry == str(chat.id) or entry.lower() == name for entry in channels)


async def on_channel_post(update: Update, context: BotContext) -> None:
    post = update.channel_post or update.edited_channel_post
    if post is None:
        return
    chat = post.chat
    services = context.services
    link = post_link(post)
    if not is_listed(chat, services.settings.channels):
        log.info("ignored post %s: channel %s is not in NEWSBOT_CHANNELS", link, chat.id)
        return
    inbox = services.channels
    result = post_article(post, inbox.limits)
    for problem in result.skipped:
        log.info("skipped channel post %s: %s", link, problem.reason)
    for problem in result.warnings:
        log.warning("channel post %s: %s", link, problem.reason)
    for article in result.articles:
        inbox.add(f"channel:{chat.id}", article, context)
