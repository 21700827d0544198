"""``/help``: what the bot does, what the archive holds, how to ask, the commands and the filters.

English HTML (the command menu is localized, :data:`bot.present.phrases.MENU`); the administrators'
commands are shown to administrators only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.present.markup import escape

if TYPE_CHECKING:
    from retrieval.answer.answerer import Overview

HELP = """\
<b>I answer questions about a news archive and cite my sources.</b>
{archive}

<b>How to ask</b>
• In a private chat, just write your question.
• In a group, mention me ({mention}), reply to my message, or use /ask.
Examples:
  <code>Кто представит США на переговорах в Париже?</code>
  <code>Что писали о морозах в январе 2026?</code>
  <code>who represents the US in Paris?</code>
  <code>What did the central bank do with the key rate?</code>
Under each answer: 📄 shows the quoted passages, 👍 / 👎 tell us how it went.
Follow-ups: reply to my answer ("and when was it?"); in a private chat, just ask again soon after.

<b>Commands</b>
/ask <i>question</i> — a short answer with sources
/search <i>words</i> — passages with date, outlet and link, page by page (for journalists)
/timeline <i>words</i> — when it was in the news: a chart of the articles that mention them
/stats — what the archive holds
/new — a new conversation: the next question does not follow up the earlier ones
/follow <i>words</i> — I write here when newly added articles match them (filters apply)
/following — what this chat follows, with buttons to stop; /unfollow <i>words</i> stops one
/help — this message

<b>Filters</b> (in a question, /ask, /search or /timeline)
<code>since:2026-01-01</code> <code>until:31.01.2026</code> — dates (also "January 2026", yesterday)
<code>source:"Example Wire"</code> — an outlet, or the start of its name; repeat for several
Russian keys work too: <code>от:</code> <code>до:</code> <code>источник:</code>
e.g. <code>/search ключевая ставка since:2025-12-01 source:Экономика</code>"""

ADMIN_HELP = """

<b>Administrators</b>
/reingest — re-read the archive folder (<code>/reingest prune</code> also drops articles gone from it)
/cancel — stop a running ingestion
/feeds — the news feeds (RSS, Atom) I poll, with their last poll, success and error
/addfeed <i>URL</i> [<i>source</i>] — add a feed; /removefeed <i>URL</i> removes one (its articles stay)
/pollfeeds — poll the feeds now (otherwise every NEWSBOT_FEED_INTERVAL minutes)
Posts in the channels of NEWSBOT_CHANNELS (where I am an admin) are added to the archive as they appear.
Send a .txt .md .json .jsonl .csv .html file, or a .zip of them, to add it to the archive."""


def render_help(overview: Overview | None, bot_username: str | None, *, admin: bool) -> str:
    if overview is None:
        archive = "<i>The archive cannot be reached right now; I will answer as soon as it is back.</i>"
    elif overview.articles == 0:
        archive = "The archive is empty for now."
    else:
        span = (
            f", from {overview.since.isoformat()} to {overview.until.isoformat()}"
            if overview.since and overview.until
            else ""
        )
        outlets = ", ".join(escape(s) for s in overview.sources[:8])
        more = f" and {len(overview.sources) - 8} more" if len(overview.sources) > 8 else ""
        archive = f"It holds <b>{overview.articles}</b> articles{span}."
        if outlets:
            archive += f"\nOutlets: {outlets}{more}."
    mention = f"@{escape(bot_username)}" if bot_username else "@me"
    text = HELP.format(archive=archive, mention=mention)
    return text + ADMIN_HELP if admin else text
