"""The news feeds and how a poll went: plain text and JSON for ``newsbot feeds``, HTML for ``/feeds`` and
``/pollfeeds``, and one line for the log.

Times are in UTC, marked so (``2026-01-06 08:00 UTC``): the feed list lives in the store, shared by
replicas and ``newsbot watch`` on machines that may keep other clocks, and records its times in UTC.
What a feed or a server said (a feed's title, an error) is made printable (:mod:`retrieval.printable`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.present.markup import escape, link
from bot.present.split import split_html
from retrieval.printable import printable

if TYPE_CHECKING:
    from ingest.feeds.poll import FeedOutcome, PollReport
    from ingest.feeds.registry import Feed

POSTPONED = "another ingestion holds the archive"
"""Why feeds were left for the next round."""


def when(moment: datetime | None) -> str:
    """``2026-01-06 08:00 UTC``, or ``never``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "never"


# -- plain text and JSON (newsbot feeds, newsbot watch) --------------------------------------------


def format_feed(feed: Feed) -> str:
    head = printable(feed.url) + (f"  ({printable(feed.source)})" if feed.source else "")
    state = (
        f"  last poll: {when(feed.last_poll)}, last success: {when(feed.last_success)}, "
        f"articles added: {feed.articles_added}"
    )
    error = f"\n  last error: {printable(feed.last_error)}" if feed.last_error else ""
    return f"{head}\n{state}{error}"


def feed_json(feed: Feed) -> dict[str, Any]:
    def stamp(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "url": feed.url,
        "source": feed.source,
        "added_at": stamp(feed.added_at),
        "last_poll": stamp(feed.last_poll),
        "last_success": stamp(feed.last_success),
        "last_error": feed.last_error,
        "articles_added": feed.articles_added,
    }


def format_outcome(outcome: FeedOutcome) -> str:
    url = printable(outcome.url)
    if outcome.error is not None:
        line = f"{url}: failed: {printable(outcome.error)}"
    elif outcome.not_modified:
        line = f"{url}: not modified"
    else:
        line = f"{url}: {outcome.added} added, {outcome.updated} updated, {outcome.unchanged} unchanged"
    return "\n".join([line, *(f"  warning: {printable(w)}" for w in outcome.warnings)])


def format_report(report: PollReport) -> str:
    if report.held_by:
        return f"another process is polling the feeds ({printable(report.held_by)}); this round is skipped"
    lines = [format_outcome(o) for o in report.outcomes]
    if report.postponed:
        lines.append(f"{len(report.postponed)} more feed(s) not polled: {POSTPONED}")
    if report.cancelled:
        lines.append("cancelled: the remaining feeds are polled next time")
    return "\n".join(lines)


def report_json(report: PollReport) -> dict[str, Any]:
    return {
        "held_by": report.held_by,
        "cancelled": report.cancelled,
        "postponed": report.postponed,
        "feeds": [
            {
                "url": o.url,
                "added": o.added,
                "updated": o.updated,
                "unchanged": o.unchanged,
                "not_modified": o.not_modified,
                "error": o.error,
                "warnings": o.warnings,
            }
            for o in report.outcomes
        ],
    }


# -- HTML (/feeds, /pollfeeds) and the log ---------------------------------------------------------


def render_feeds(feeds: list[Feed], interval: float) -> list[str]:
    """The feed list for ``/feeds``, in messages under Telegram's limit."""
    if not feeds:
        return ["No feeds yet. Add one: <code>/addfeed URL [source]</code>"]
    lines = [f"📰 <b>{len(feeds)} feed(s)</b>, polled every {interval:g} min:"]
    for n, feed in enumerate(feeds, 1):
        name = escape(feed.source) + " · " if feed.source else ""
        lines.append(f"\n{n}. {name}{link(feed.url, feed.url)}")
        lines.append(
            f"last poll: {when(feed.last_poll)} · last success: {when(feed.last_success)} · "
            f"articles added: {feed.articles_added}"
        )
        if feed.last_error:
            lines.append(f"⚠️ last error: {escape(printable(feed.last_error))}")
    return split_html("\n".join(lines))


def _outcome_line(outcome: FeedOutcome) -> str:
    url = escape(outcome.url)
    if outcome.error is not None:
        return f"❌ {url}: {escape(printable(outcome.error))}"
    if outcome.not_modified:
        return f"✅ {url}: not modified since the last poll"
    counts = f"{outcome.added} added, {outcome.updated} updated, {outcome.unchanged} unchanged"
    warned = f" ({len(outcome.warnings)} warning(s), see the log)" if outcome.warnings else ""
    return f"✅ {url}: {counts}{warned}"


def render_poll(report: PollReport | None) -> list[str]:
    """How a ``/pollfeeds`` round went, for its status message (None: it failed, see the log)."""
    if report is None:
        return ["❌ The feeds could not be polled; the details are in the log."]
    if report.held_by is not None:
        return [f"⏳ Another process is polling the feeds ({escape(printable(report.held_by))}); try later."]
    if not report.outcomes:
        return ["No feeds to poll. Add one: <code>/addfeed URL [source]</code>"]
    done = "⏹ Feed poll cancelled" if report.cancelled else "Feed poll finished"
    failed = f", {len(report.failed)} failed" if report.failed else ""
    head = f"{done}: {len(report.outcomes)} feed(s){failed}."
    lines = [head, *map(_outcome_line, report.outcomes)]
    if report.postponed:
        lines.append(f"⏳ {len(report.postponed)} more feed(s) wait for the next round: {POSTPONED}.")
    return split_html("\n".join(lines))


def summary(report: PollReport) -> str:
    """One line for the log."""
    if report.held_by is not None:
        return f"skipped: {printable(report.held_by)} is polling"
    added = sum(o.added for o in report.outcomes)
    updated = sum(o.updated for o in report.outcomes)
    line = f"{len(report.outcomes)} feed(s), {added} added, {updated} updated, {len(report.failed)} failed"
    if report.postponed:
        line += f", {len(report.postponed)} left for the next round ({POSTPONED})"
    return line
