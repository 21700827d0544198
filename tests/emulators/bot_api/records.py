"""What the test sees: users and chats, the bot's messages as they stand, its answers to callback and
inline queries, its chat actions and every API call it made. Frozen; `to_json()` gives the API's object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class User:
    """A Telegram user; `to_json()` is the API's `User` object."""

    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        optional = {"last_name": self.last_name, "username": self.username}
        data |= {key: value for key, value in optional.items() if value is not None}
        if self.language_code is not None:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class Chat:
    """A chat: `private` (its id is the user's), `group` or `supergroup` (negative ids), `channel`
    (-100… ids, a title and maybe a public @username)."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        optional = {
            "title": self.title,
            "username": self.username,
            "first_name": self.first_name,
            "last_name": self.last_name,
        }
        return data | {key: value for key, value in optional.items() if value is not None}


@dataclass(frozen=True)
class MessageVersion:
    """One state of a bot message: what the user sees (`text`) and what the bot sent (`html`)."""

    text: str
    html: str
    parse_mode: str | None
    entities: tuple[dict[str, Any], ...]
    reply_markup: dict[str, Any] | None


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent, as it stands now; `versions` holds the original and every edit."""

    chat_id: int
    message_id: int
    text: str  # plain, as the user sees it (the caption for a document or a photo)
    html: str  # raw, as the bot sent it
    parse_mode: str | None
    entities: tuple[dict[str, Any], ...]
    reply_markup: dict[str, Any] | None
    reply_to_message_id: int | None
    document: dict[str, Any] | None
    deleted: bool
    versions: tuple[MessageVersion, ...]
    photo: tuple[dict[str, Any], ...] = ()  # a photo's PhotoSize objects, the largest last

    @property
    def edits(self) -> tuple[MessageVersion, ...]:
        """The versions after the original, oldest first."""
        return self.versions[1:]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row by row, left to right."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


@dataclass(frozen=True)
class CallbackAnswer:
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None


@dataclass(frozen=True)
class InlineAnswer:
    """The bot's answer to an inline query: the results as the user's client lists them."""

    inline_query_id: str
    results: tuple[dict[str, Any], ...]
    """Each result's JSON as the bot sent it."""
    cache_time: int
    is_personal: bool
    next_offset: str
    button: dict[str, Any] | None

    @property
    def titles(self) -> list[str]:
        return [str(result["title"]) for result in self.results]


@dataclass(frozen=True)
class ChatAction:
    chat_id: int
    action: str


@dataclass(frozen=True)
class ApiRequest:
    """One Bot API call as received (form values are strings; uploads are summarised), and its outcome."""

    method: str
    params: dict[str, Any]
    error_code: int | None
    description: str | None
