"""Everything the handlers share, built once per Application and kept in ``bot_data``."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.access import Access, RateLimiter
from bot.archive import Archive
from bot.feedback import FeedbackStore
from bot.ingest_job import IngestJobs
from bot.state import ConversationState
from retrieval.settings import Settings

KEY = "newsbot"


@dataclass(slots=True)
class Services:
    settings: Settings
    archive: Archive
    access: Access
    limiter: RateLimiter
    answering: asyncio.Semaphore
    """At most ``max_concurrent_answers`` questions are being answered at once, across all users."""
    state: ConversationState
    feedback: FeedbackStore
    jobs: IngestJobs

    @classmethod
    def build(cls, settings: Settings, archive: Archive | None = None) -> Services:
        archive = archive or Archive(settings)
        return cls(
            settings=settings,
            archive=archive,
            access=Access(settings.admin_ids, settings.allowed_ids),
            limiter=RateLimiter(settings.rate_limit_per_minute),
            answering=asyncio.Semaphore(max(1, settings.max_concurrent_answers)),
            state=ConversationState.empty(),
            feedback=FeedbackStore.under(Path(settings.data_dir)),
            jobs=IngestJobs(archive),
        )

    @property
    def uploads_dir(self) -> Path:
        return Path(self.settings.data_dir) / "uploads"

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.max_upload_mb * 2**20


def services_of(bot_data: dict[Any, Any]) -> Services:
    services = bot_data[KEY]
    assert isinstance(services, Services)
    return services
