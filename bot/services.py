"""Everything the handlers share, built once per Application and kept in ``bot_data``."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.access import Access, Notices, OneAtATime, RateLimiter
from bot.archive import Archive
from bot.feedback import FeedbackStore
from bot.ingest_job import IngestJobs
from bot.uploads import prune_uploads
from retrieval.settings import Settings

KEY = "newsbot"
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
    turns: OneAtATime = field(default_factory=OneAtATime)
    """Each user's questions one after another, so nobody holds more than one of ``answering``'s slots."""
    told: Notices = field(default_factory=Notices)
    """What the admin chat was told lately (a full disk: once an hour, not once per failed write)."""
    stopping: threading.Event = field(default_factory=threading.Event)
    """Set when the bot begins to stop: background work (alert rounds, channel posts' ingestion) checks it
    between its units of work and ends there (see :meth:`bot.app.NewsbotApplication.stop`)."""

    @classmethod
    def build(cls, settings: Settings, archive: Archive | None = None) -> Services:
        archive = archive or Archive(settings)
        services = cls(
            settings=settings,
            archive=archive,
            access=Access(settings.admin_ids, settings.allowed_ids),
            limiter=RateLimiter(settings.rate_limit_per_minute),
            answering=asyncio.Semaphore(max(1, settings.max_concurrent_answers)),
            feedback=FeedbackStore.under(Path(settings.data_dir)),
            jobs=IngestJobs(archive),
        )
        services.prune_uploads(starting=True)
        return services

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
    services = bot_data[KEY]
    assert isinstance(services, Services)
    return services
