"""A local web server for feed tests: RSS and Atom feeds and the pages they link to, on 127.0.0.1.

The test says what each path serves, and may change it between polls (an edited entry):

    with FeedServer() as web:
        web.page("/a.html", article_html("Title", "Text of the article."))
        web.feed("/rss.xml", rss_feed("Outlet", [FeedItem("Title", web.url("/a.html"), guid="a-1")]))
        ...  # poll web.url("/rss.xml")
        assert web.requests_to("/rss.xml")[-1].headers.get("If-None-Match") == ...

A feed is served with an ``ETag`` (a digest of its body) and a ``Last-Modified`` date, and answers a
matching ``If-None-Match`` / ``If-Modified-Since`` with 304, as web servers do. A route may also be a
status (404), a redirect, slow (``delay`` seconds before the answer), streamed in chunks without a
``Content-Length`` (so only a streaming size cap stops it), or a trickle (``trickle``: the head sent one
byte at a time, every so many seconds, and never finished: only a deadline for the whole answer stops
it). Every request is recorded with its headers.
Feeds are built with :func:`rss_feed` (RSS 2.0), :func:`rdf_feed` (RSS 1.0) and :func:`atom_feed`.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from xml.sax.saxutils import escape

from aiohttp import web

from tests.emulators.background import BackgroundServer


@dataclass(frozen=True)
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    conditional: bool = False
    """Send ETag and Last-Modified, answer matching conditional requests with 304."""
    last_modified: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    location: str | None = None
    delay: float = 0.0
    chunked: bool = False
    on_request: Callable[[], object] | None = None
    """Called (in the server's thread) when the route is requested, before it answers."""
    trickle: float = 0.0
    """Seconds between two bytes of an answer that sends its head a byte at a time and never ends."""

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass(frozen=True)
class Seen:
    """A request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    status: int


class FeedServer(BackgroundServer):
    name = "feed server"

    def __init__(self) -> None:
        super().__init__()
        self._routes: dict[str, Route] = {}
        self._seen: list[Seen] = []
        self._lock = threading.Lock()
        self._runner: web.AppRunner | None = None

    # -- test-side control (thread-safe)

    def url(self, path: str) -> str:
        return self.root_url + path

    def route(self, path: str, route: Route) -> None:
        with self._lock:
            self._routes[path] = route

    def feed(self, path: str, xml: str, content_type: str = "application/rss+xml; charset=utf-8") -> None:
        """Serve a feed with validators (a changed body gets a new ETag and a later Last-Modified)."""
        body = xml.encode("utf-8")
        with self._lock:
            old = self._routes.get(path)
            stamp = datetime.now(UTC).replace(microsecond=0)
            if old is not None and old.body != body:
                stamp = max(stamp, old.last_modified + timedelta(seconds=1))  # a change is always later
            self._routes[path] = Route(body, content_type, conditional=True, last_modified=stamp)

    def page(self, path: str, html: str, **options: object) -> None:
        self.route(path, Route(html.encode("utf-8"), **options))  # type: ignore[arg-type]

    def status(self, path: str, status: int, body: str = "") -> None:
        self.route(path, Route(body.encode("utf-8"), "text/html; charset=utf-8", status=status))

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.route(path, Route(status=status, location=location))

    @property
    def requests(self) -> list[Seen]:
        with self._lock:
            return list(self._seen)

    def requests_to(self, path: str) -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    # -- serving

    async def _open(self, sock: socket.socket) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def _close(self) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            route = self._routes.get(request.path)
        status = 404 if route is None else self._status(route, request)
        with self._lock:
            self._seen.append(Seen(request.method, request.path, dict(request.headers), status))
        if route is None:
            return web.Response(status=404, text="not found")
        if route.on_request is not None:
            route.on_request()
        if route.delay:
            await asyncio.sleep(route.delay)
        if route.trickle:
            return await self._trickle(request, route.trickle)
        headers = {"Content-Type": route.content_type}
        if route.conditional:
            headers |= {
                "ETag": route.etag,
                "Last-Modified": format_datetime(route.last_modified, usegmt=True),
            }
        if route.location is not None:
            headers["Location"] = route.location
        if status == 304 or route.location is not None:
            headers.pop("Content-Type")
            return web.Response(status=status, headers=headers)
        if not route.chunked:
            return web.Response(status=status, body=route.body, headers=headers)
        response = web.StreamResponse(status=status, headers=headers)
        response.enable_chunked_encoding()
        await response.prepare(request)
        for i in range(0, len(route.body), 64 * 1024):
            await response.write(route.body[i : i + 64 * 1024])
        await response.write_eof()
        return response

    @staticmethod
    async def _trickle(request: web.Request, every: float) -> web.StreamResponse:
        """A status line and headers, one byte every ``every`` seconds (240 of them: two minutes at half a
        second, so that a client without a deadline fails a test instead of hanging it), never finished."""
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Padding: "
        for byte in head + b"." * (240 - len(head)):
            if request.transport is None or request.transport.is_closing():
                break
            request.transport.write(bytes([byte]))
            await asyncio.sleep(every)
        if request.transport is not None:
            request.transport.close()
        raise asyncio.CancelledError  # the connection is closed: no answer to write

    @staticmethod
    def _status(route: Route, request: web.Request) -> int:
        if not route.conditional or route.status != 200:
            return route.status
        tags = request.headers.get("If-None-Match")
        if tags is not None:
            return 304 if route.etag in [t.strip() for t in tags.split(",")] or tags.strip() == "*" else 200
        since = request.headers.get("If-Modified-Since")
        if since:
            try:
                return 304 if route.last_modified <= parsedate_to_datetime(since) else 200
            except (TypeError, ValueError):
                return 200
        return 200


# -- documents -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str | None
    summary: str = ""
    guid: str | None = None
    published: datetime | None = None


def rss_feed(title: str, items: list[FeedItem], link: str = "https://example.org/") -> str:
    """An RSS 2.0 document."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<rss version="2.0"><channel><title>{escape(title)}</title><link>{escape(link)}</link>',
        "<description>test feed</description>",
    ]
    for item in items:
        parts.append(f"<item><title>{escape(item.title)}</title>")
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.published:
            parts.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
        parts.append(f"<description>{escape(item.summary)}</description></item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


def atom_feed(title: str, items: list[FeedItem], feed_id: str = "urn:test:atom") -> str:
    """An Atom 1.0 document."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>{escape(feed_id)}</id><updated>{now}</updated>",
    ]
    for item in items:
        stamp = (item.published or datetime.now(UTC)).isoformat(timespec="seconds")
        parts.append(f"<entry><title>{escape(item.title)}</title>")
        parts.append(f"<id>{escape(item.guid or item.link or item.title)}</id>")
        if item.link:
            parts.append(f'<link rel="alternate" href="{escape(item.link)}"/>')
        parts.append(f"<updated>{stamp}</updated><published>{stamp}</published>")
        parts.append(f"<summary>{escape(item.summary)}</summary></entry>")
    parts.append("</feed>")
    return "\n".join(parts)


def rdf_feed(title: str, items: list[FeedItem], link: str = "https://example.org/") -> str:
    """An RSS 1.0 (RDF) document; an item's id is its ``rdf:about`` (its link)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f'<channel rdf:about="{escape(link)}"><title>{escape(title)}</title><link>{escape(link)}</link>',
        "<description>test feed</description></channel>",
    ]
    for item in items:
        about = item.link or item.guid or item.title
        parts.append(f'<item rdf:about="{escape(about)}"><title>{escape(item.title)}</title>')
        if item.link:
            parts.append(f"<link>{escape(item.link)}</link>")
        if item.published:
            parts.append(f"<dc:date>{item.published.isoformat(timespec='seconds')}</dc:date>")
        parts.append(f"<description>{escape(item.summary)}</description></item>")
    parts.append("</rdf:RDF>")
    return "\n".join(parts)


def article_html(title: str, text: str, *, charset: str = "utf-8") -> str:
    """A news page as outlets publish them: navigation, the article's title and paragraphs, a footer."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{escape(title)}</title></head><body>'
        '<nav><a href="/">Главная</a> <a href="/news">Новости</a></nav>'
        f"<article><h1>{escape(title)}</h1>\n{paragraphs}\n</article>"
        "<footer>© Test outlet. All rights reserved.</footer></body></html>"
    )
