"""Feeds as feedparser reads them (RSS 0.9x/1.0/2.0, Atom), and their entries as articles: the one place
that sees feedparser's shapes.

An entry's id is its ``guid``/``id``, else its link; its text is the linked page's as trafilatura
extracts it (:func:`ingest.loaders.html.read_html_article`, as for ``.html`` files), else the entry's own
content or summary (:func:`entry_article`).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

import feedparser

from ingest.loaders.article import ArticleLimits, RawArticle, add_article
from retrieval.records import LoadResult

from .errors import FetchError


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
    for n, raw in enumerate(parsed.entries, 1):
        entry = _entry(raw)
        if entry is None:
            warnings.append(f"{url}: entry {n} has no id, link, title or text; skipped")
            continue
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


def _entry(raw: Any) -> FeedEntry | None:
    link = raw.get("link") or None
    title = raw.get("title") or None
    summary = _entry_text(raw)
    entry_id = raw.get("id") or link
    if not entry_id:
        if not (title or summary):
            return None
        entry_id = "sha1:" + hashlib.sha1(f"{title}\0{summary}".encode()).hexdigest()
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    published = time.strftime("%Y-%m-%d", stamp) if stamp else None
    edited = raw.get("updated") or ""
    fingerprint = hashlib.sha256(
        "\x1f".join([entry_id, link or "", title or "", published or "", edited, summary]).encode()
    ).hexdigest()[:16]
    return FeedEntry(str(entry_id), link, title, published, summary, fingerprint)


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
