"""The bot's state: everything its handlers and background work share, in one typed object built once per
Application and kept in ``bot_data`` (handlers reach it as ``context.services``, :mod:`.context`).

What it holds: the settings and the archive; who may ask and how often (:mod:`.access`); the answering
slots; the votes; and the background work, each of which a stopping bot ends in bounded time
(:meth:`Services.stop_background_work`): an ingestion (``/reingest``, uploads), the feed rounds, the
channel posts waiting to be ingested, and the alerts of follows (built on first use, from the store).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.archive import Archive
from bot.feedback import FeedbackStore
from bot.telegram.access import Access, Notices, OneAtATime, RateLimiter
from bot.telegram.jobs.alerts import Follows
from bot.telegram.jobs.channel_posts import ChannelInbox
from bot.telegram.jobs.feed_rounds import FeedPolling
from bot.telegram.jobs.ingestion import IngestJobs
from bot.telegram.upload_files import prune_uploads
from ingest.loaders import ArticleLimits
from retrieval.settings import Settings

KEY = "newsbot"
"""Where the services live in ``bot_data``."""
log = logging.getLogger("newsbot.bot")


@dataclass(slots=True)
class Services:
    settings: Settings
    archive: Archive
    access: Access
    limiter: RateLimiter
    answering: asyncio.Semaphore
    """At most ``max_concurrent_answers`` questions are being answered at once, across all users."""
    feedback: FeedbackStore
    jobs: IngestJobs
    """The ingestion slot: ``/reingest`` and uploads, one at a time."""
    feeds: FeedPolling
    channels: ChannelInbox
    stopping: threading.Event
    """Set when the bot begins to stop: background work (alert rounds, channel posts' ingestion) checks it
    between its units of work and ends there (see :meth:`stop_background_work`)."""
    turns: OneAtATime = field(default_factory=OneAtATime)
    """Each user's questions one after another, so nobody holds more than one of ``answering``'s slots."""
    told: Notices = field(default_factory=Notices)
    """What the admin chat was told lately (a full disk: once an hour, not once per failed write)."""
    follows: Follows | None = None
    """The follows and their alert rounds, once built (:meth:`follows_for`)."""

    @classmethod
    def build(cls, settings: Settings, archive: Archive | None = None) -> Services:
        archive = archive or Archive(settings)
        stopping = threading.Event()
        limits = ArticleLimits.from_settings(settings)
        services = cls(
            settings=settings,
            archive=archive,
            access=Access(settings.admin_ids, settings.allowed_ids),
            limiter=RateLimiter(settings.rate_limit_per_minute),
            answering=asyncio.Semaphore(max(1, settings.max_concurrent_answers)),
            feedback=FeedbackStore.under(Path(settings.data_dir)),
            jobs=IngestJobs(archive),
            feeds=FeedPolling(archive),
            channels=ChannelInbox(archive, limits, stopping=stopping, wait=settings.ingest_wait),
            stopping=stopping,
        )
        services.prune_uploads(starting=True)
        return services

    def follows_for(self, bot_id: int) -> Follows:
        """The follows this bot (``bot_id``) keeps and alerts, built on first use (blocking: call it in a
        worker thread; raises StoreUnavailable while the store is down)."""
        if self.follows is None:
            self.follows = Follows.build(self.archive, bot_id)
        return self.follows

    async def stop_background_work(self, wait: float) -> None:
        """Set ``stopping`` and wait for the ingestion, feed poll, alert round and channel posts' ingestion
        running now to end, all at once and at most ``wait`` seconds (each then cancels what is left)."""
        self.stopping.set()
        work = [self.jobs.shutdown(wait), self.feeds.shutdown(wait), self.channels.shutdown(wait)]
        if self.follows is not None:
            work.append(self.follows.shutdown(wait))
        await asyncio.gather(*work)

    @property
    def uploads_dir(self) -> Path:
        return Path(self.settings.data_dir) / "uploads"

    def prune_uploads(self, *, starting: bool = False) -> None:
        """Remove uploads kept longer than ``NEWSBOT_UPLOADS_KEEP_DAYS`` (when 0: only while ``starting``,
        as then nothing is being ingested; otherwise each is removed once ingested)."""
        keep_days = self.settings.uploads_keep_days
        if keep_days == 0 and not starting:
            return
        try:
            removed = prune_uploads(self.uploads_dir, keep_days)
        except OSError as exc:
            log.warning("could not remove old uploads from %s: %s", self.uploads_dir, exc)
            return
        if removed:
            log.info(
                "removed %d upload(s) older than %d day(s) from %s", len(removed), keep_days, self.uploads_dir
            )

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.max_upload_mb * 2**20


def services_of(bot_data: dict[Any, Any]) -> Services:
    """The services of an Application (its ``bot_data``)."""
    services = bot_data[KEY]
    assert isinstance(services, Services)
    return services
