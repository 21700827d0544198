"""Publishing while the soak runs: feed entries (each with its page), channel posts, ingested files.

Every piece published is kept (:attr:`Publisher.pieces`) with the article id and link the archive will
know it by, so that the end of the run can count what reached the store and which alerts were due.

A feed is RSS 2.0 served by the local feed server with validators (ETag, Last-Modified); it keeps every
entry it ever published, newest first, as a feed of a small outlet does over ten minutes. :meth:`hang`
makes a feed trickle its headers one byte at a time and never finish (``Route.trickle``); entries
published meanwhile appear when :meth:`unhang` serves the feed again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from soaking.content import Piece, Writer
from tests.emulators.bot_api import BotApiEmulator, Chat
from tests.emulators.feed_server import FeedItem, FeedServer, Route, article_html, rss_feed

TRICKLE = 0.5
"""Seconds between two bytes of a hung feed's head."""


class Publisher:
    def __init__(self, writer: Writer, web: FeedServer, feeds: int, now: Callable[[], float]) -> None:
        self.writer = writer
        self.web = web
        self.feed_paths = [f"/feed{n}.xml" for n in range(feeds)]
        self.items: dict[str, list[FeedItem]] = {p: [] for p in self.feed_paths}
        self.hung: set[str] = set()
        self.pieces: list[Piece] = []
        self.now = now
        self._lock = threading.Lock()
        self._count = 0
        for path in self.feed_paths:
            self._serve(path)

    def feed_urls(self) -> list[str]:
        return [self.web.url(p) for p in self.feed_paths]

    def _key(self, prefix: str) -> str:
        self._count += 1
        return f"{prefix}-{self._count:04d}"

    def _keep(self, piece: Piece) -> Piece:
        piece.published_at = self.now()
        with self._lock:
            self.pieces.append(piece)
        return piece

    # -- feeds

    def publish_entry(self, feed: int) -> Piece:
        """A new entry at the top of feed ``feed``, its page served first."""
        path = self.feed_paths[feed]
        piece = self.writer.piece(self._key(f"f{feed}"), f"feed:{feed}")
        page = f"/pages/{piece.key}.html"
        self.web.page(page, article_html(piece.title, piece.text))
        piece.article_id, piece.url = f"soak-{piece.key}", self.web.url(page)
        now = datetime.now(UTC).replace(microsecond=0)
        summary = piece.text.split(". ")[0] + "."
        self.items[path].insert(0, FeedItem(piece.title, piece.url, summary, piece.article_id, now))
        if path not in self.hung:
            self._serve(path)
        return self._keep(piece)

    def _serve(self, path: str) -> None:
        n = self.feed_paths.index(path)
        self.web.feed(path, rss_feed(f"Soak outlet {n}", self.items[path], link=f"https://soak{n}.example/"))

    def hang(self, feed: int) -> str:
        path = self.feed_paths[feed]
        self.hung.add(path)
        self.web.route(path, Route(trickle=TRICKLE))
        return self.web.url(path)

    def unhang(self, feed: int) -> None:
        path = self.feed_paths[feed]
        self.hung.discard(path)
        self._serve(path)

    # -- a channel the first replica reads

    def post(self, emu: BotApiEmulator, channel: Chat) -> Piece:
        piece = self.writer.piece(self._key("ch"), "channel")
        post = emu.post_to_channel(channel, f"{piece.title}\n\n{piece.text}")
        piece.article_id = f"tg:{channel.id}:{post['message_id']}"
        piece.url = f"https://t.me/{channel.username}/{post['message_id']}"
        return self._keep(piece)

    # -- files an operator ingests

    def write_files(self, folder: Path, count: int) -> list[Piece]:
        """``count`` articles in one JSON Lines file under ``folder`` (published when written)."""
        folder.mkdir(parents=True, exist_ok=True)
        pieces = [self.writer.piece(self._key("in"), "ingest") for _ in range(count)]
        records = []
        for piece in pieces:
            piece.article_id, piece.url = f"soak-{piece.key}", f"https://soak-files.example/{piece.key}"
            day = datetime.now(UTC).date().isoformat()
            record = {"id": piece.article_id, "title": piece.title, "date": day, "url": piece.url}
            records.append(record | {"source": "Soak files", "text": piece.text})
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        (folder / "batch.jsonl").write_text(lines, encoding="utf-8")
        return [self._keep(p) for p in pieces]
