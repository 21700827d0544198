"""The one place that reads the environment (and a ``.env`` file).

Every setting is documented in ``.env.example``. Names carry the ``NEWSBOT_`` prefix except the two
Telegram ones, which keep the names people already use.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_EMBEDDING = "multilingual-e5-small"
OFFICIAL_BOT_API = "https://api.telegram.org/bot"


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "newsbot"


def _split_ids(value: Any) -> Any:
    if isinstance(value, str):
        return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
    if isinstance(value, int):
        return [value]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="NEWSBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # Store
    data_dir: Path = Field(default_factory=_default_data_dir)
    chroma_url: str | None = None
    collection: str = "news"
    embedding: str = DEFAULT_EMBEDDING
    archive_dir: Path | None = None

    # Answers
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = 30.0
    abstain_threshold: float | None = None

    # Telegram
    telegram_bot_token: str | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "NEWSBOT_TELEGRAM_BOT_TOKEN")
    )
    telegram_api_base_url: str = Field(
        default=OFFICIAL_BOT_API,
        validation_alias=AliasChoices("TELEGRAM_API_BASE_URL", "NEWSBOT_TELEGRAM_API_BASE_URL"),
    )
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    allowed_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    admin_chat_id: int | None = None
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    rate_limit_per_minute: int = 10
    max_concurrent_answers: int = 4
    max_upload_mb: int = 20

    @field_validator("admin_ids", "allowed_ids", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        return _split_ids(value)

    @field_validator("chroma_url", "llm_base_url", "webhook_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @cached_property
    def store_location(self) -> str:
        return self.chroma_url or str(self.data_dir / "chroma")

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment and ``.env``; keyword overrides win (used by the CLI)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
