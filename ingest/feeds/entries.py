"""Feeds as feedparser reads them (RSS 0.9x/1.0/2.0, Atom), and their entries as articles: the one place
that sees feedparser's shapes.

An entry's id is its ``guid``/``id``, else its link; its text is the linked page's as trafilatura
extracts it (:func:`ingest.loaders.html.read_html_article`, as for ``.html`` files), else the entry's own
content or summary (:func:`entry_article`).

An entry's date is its ``published`` date, else its ``updated`` one, as feedparser reads it, in UTC. A
date that cannot be right is reported (a warning of the feed's outcome: the entry, the date as written and
why) and the entry kept undated (its linked page's date, if the page has one, is used instead):

- a year before ``EARLIEST_YEAR`` (1800), as written: ``01 Jan 0001`` is year 1, not 2001;
- more than ``FUTURE_SLACK`` (a day) after the poll;
- a numeric zone no place has (``+9999``, ``-1500``, ``+0075``: beyond ±14:00, or minutes past 59);
- a date feedparser cannot read at all.

A named zone feedparser does not know (``MSK``) is read as UTC, as feedparser does: at most hours off.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser

from ingest.loaders.article import ArticleLimits, RawArticle, add_article
from retrieval.records import LoadResult

from .errors import FetchError

EARLIEST_YEAR = 1800
FUTURE_SLACK = timedelta(days=1)
MAX_ZONE_MINUTES = 14 * 60
_NUMERIC_ZONE = re.compile(r"([+-])(\d{2}):?(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed, in plain fields; ``fingerprint`` changes when the entry is edited."""

    id: str
    link: str | None
    title: str | None
    published: str | None
    """The entry's date (published, else updated) as ``YYYY-MM-DD``."""
    summary: str
    """The entry's own text (its content, else its summary), HTML turned into text."""
    fingerprint: str


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    warnings: list[str] = field(default_factory=list)


def parse_feed(content: bytes, url: str, content_type: str = "", charset: str | None = None) -> ParsedFeed:
    """The feed in ``content`` (fetched from ``url``), or :class:`FetchError` when it is not an RSS or Atom
    feed. XML that is malformed but yields entries (feedparser's lenient parser) is read with a warning."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type + (f"; charset={charset}" if charset else "")
    parsed: Any = feedparser.parse(content, response_headers=headers, sanitize_html=True)
    problem = parsed.get("bozo_exception")
    warnings: list[str] = []
    entries: list[FeedEntry] = []
    now = datetime.now(UTC)
    for n, raw in enumerate(parsed.entries, 1):
        entry, date_problem = _entry(raw, now)
        if entry is None:
            warnings.append(f"{url}: entry {n} has no id, link, title or text; skipped")
            continue
        if date_problem is not None:
            warnings.append(f"{url}: entry {n} ({entry.id}): {date_problem}; kept undated")
        entries.append(entry)
    if not entries and (not parsed.version or problem is not None):
        why = f": {problem}" if problem is not None else ""
        raise FetchError(f"{url}: not an RSS or Atom feed{why}")
    if parsed.bozo:
        warnings.insert(0, f"{url}: malformed feed ({problem}); read what could be read")
    title = parsed.feed.get("title")
    return ParsedFeed(
        title=" ".join(title.split()) or None if title else None, entries=entries, warnings=warnings
    )


def _entry(raw: Any, now: datetime) -> tuple[FeedEntry | None, str | None]:
    """The entry (None when it has nothing to go by), and what is wrong with its date, if anything."""
    link = raw.get("link") or None
    title = raw.get("title") or None
    summary = _entry_text(raw)
    entry_id = raw.get("id") or link
    if not entry_id:
        if not (title or summary):
            return None, None
        entry_id = "sha1:" + hashlib.sha1(f"{title}\0{summary}".encode()).hexdigest()
    key = "published" if raw.get("published") else "updated"
    published, problem = entry_date(raw.get(key), raw.get(f"{key}_parsed"), now)
    edited = raw.get("updated") or ""
    fingerprint = hashlib.sha256(
        "\x1f".join([entry_id, link or "", title or "", published or "", edited, summary]).encode()
    ).hexdigest()[:16]
    return FeedEntry(str(entry_id), link, title, published, summary, fingerprint), problem


def entry_date(
    written: str | None, parsed: time.struct_time | None, now: datetime
) -> tuple[str | None, str | None]:
    """The date (``YYYY-MM-DD``, UTC) of a date ``written`` in a feed as feedparser ``parsed`` it, or None
    and why it is not taken (None, None when there is no date). The rules are the module's."""
    if not written:
        return None, None
    zone = _NUMERIC_ZONE.search(written)
    if zone is not None:
        hours, minutes = int(zone[2]), int(zone[3])
        if minutes > 59 or hours * 60 + minutes > MAX_ZONE_MINUTES:
            return None, f"date {written!r} has a time zone no place has ({zone[0].strip()})"
    if parsed is None:
        return None, f"date {written!r} cannot be read"
    try:
        moment = datetime(*parsed[:5], min(parsed[5], 59), tzinfo=UTC)
    except (TypeError, ValueError):
        return None, f"date {written!r} cannot be read"
    if moment.year < EARLIEST_YEAR:
        return None, f"date {written!r} is before {EARLIEST_YEAR}"
    if moment > now + FUTURE_SLACK:
        return None, f"date {written!r} is in the future"
    return moment.strftime("%Y-%m-%d"), None


def _entry_text(raw: Any) -> str:
    """The entry's longest content block, else its summary, as text."""
    blocks = [c.get("value", "") for c in raw.get("content") or []]
    html = max(blocks, key=len) if any(blocks) else raw.get("summary") or ""
    return html_to_text(html)


def html_to_text(html: str) -> str:
    """A fragment of HTML (or plain text) as text."""
    if "<" not in html and "&" not in html:
        return html.strip()
    import trafilatura

    return str(trafilatura.html2txt(f"<html><body>{html}</body></html>")).strip()


def entry_article(
    entry: FeedEntry,
    *,
    source: str | None,
    page: RawArticle | None,
    limits: ArticleLimits,
    origin: str,
) -> LoadResult:
    """The article of ``entry``: the linked page's text when ``page`` has some, else the entry's own
    (``LoadResult.skipped`` says so when neither has any text)."""
    page_text = page.text if page is not None else None
    raw = RawArticle(
        text=page_text or entry.summary,
        id=entry.id,
        title=entry.title or (page.title if page is not None else None),
        date=entry.published or (page.date if page is not None else None),
        url=entry.link,
        source=source,
    )
    result = LoadResult()
    add_article(result, raw, limits, origin=origin, fallback_id=entry.id)
    return result
