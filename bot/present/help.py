"""``/help``: what the bot does, what the archive holds, how to ask, the commands and the filters.

HTML in the user's language (:data:`bot.present.phrases.HELP`, as the command menu is
:data:`~bot.present.phrases.MENU`); the administrators' commands are shown to administrators only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.present.markup import escape
from bot.present.phrases import HELP, articles

if TYPE_CHECKING:
    from retrieval.answer.answerer import Overview

OUTLETS_NAMED = 8
"""The most outlets the help names (the rest are counted)."""


def archive_line(overview: Overview | None, lang: str) -> str:
    """What the archive holds: its articles, their dates and outlets; or that it is empty or down."""
    said = HELP[lang]
    if overview is None:
        return said["unreachable"]
    if overview.articles == 0:
        return said["empty"]
    span = ""
    if overview.since and overview.until:
        span = said["span"].format(since=overview.since.isoformat(), until=overview.until.isoformat())
    line = said["holds"].format(articles=articles(overview.articles, lang), span=span)
    if overview.sources:
        outlets = ", ".join(escape(s) for s in overview.sources[:OUTLETS_NAMED])
        hidden = len(overview.sources) - OUTLETS_NAMED
        more = said["more_outlets"].format(n=hidden) if hidden > 0 else ""
        line += "\n" + said["outlets"].format(outlets=outlets, more=more)
    return line


def render_help(overview: Overview | None, bot_username: str | None, *, admin: bool, lang: str = "en") -> str:
    """The help page in ``lang`` ("en", "ru": :func:`bot.present.phrases.language`)."""
    mention = f"@{escape(bot_username)}" if bot_username else "@me"
    text = HELP[lang]["page"].format(archive=archive_line(overview, lang), mention=mention)
    return text + HELP[lang]["admin"] if admin else text
