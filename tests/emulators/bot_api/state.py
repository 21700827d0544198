"""What the emulated Telegram holds: chats, every message in them (each bot message with its versions),
files, pending updates, queries, scripted faults and the record of requests, behind one lock.

`EmulatorState` owns it; each section of the API is a subclass of it adding its methods (`chats`,
`messages`, `files`, `channels`, `editing`, `buttons`, `inline`, `updates`, `bot_account`, `faults`,
`observing`), and `server.BotApiEmulator` joins them. Changes wake the test's waiters (`_notify`)."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.emulators.background import BackgroundServer

from .protocol import ApiError
from .records import (
    ApiRequest,
    CallbackAnswer,
    Chat,
    ChatAction,
    InlineAnswer,
    MessageVersion,
    SentMessage,
    User,
)

LOG = logging.getLogger(__package__)  # one logger for the emulator, named for the package
DEFAULT_ALLOWED = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
        "business_message", "edited_business_message", "deleted_business_messages", "inline_query",
        "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query",
        "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_join_request",
        "chat_boost", "removed_chat_boost",
    }
)  # fmt: skip
"""The update kinds delivered when `allowed_updates` is empty or never given."""


@dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    content: bytes
    width: int = 0
    height: int = 0

    def photo_size_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "width": self.width,
            "height": self.height,
        }

    def document_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.content),
        }


@dataclass
class StoredMessage:
    json: dict[str, Any]
    from_bot: bool
    versions: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False

    def snapshot(self) -> SentMessage:
        current = self.versions[-1]
        reply_to = self.json.get("reply_to_message")
        return SentMessage(
            chat_id=self.json["chat"]["id"],
            message_id=self.json["message_id"],
            text=current.text,
            html=current.html,
            parse_mode=current.parse_mode,
            entities=current.entities,
            reply_markup=copy.deepcopy(current.reply_markup),
            reply_to_message_id=reply_to["message_id"] if reply_to else None,
            document=copy.deepcopy(self.json.get("document")),
            deleted=self.deleted,
            versions=tuple(self.versions),
            photo=tuple(copy.deepcopy(self.json.get("photo", []))),
        )


@dataclass
class InlineQuery:
    json: dict[str, Any]
    sent_at: float  # time.monotonic()
    answers: list[InlineAnswer] = field(default_factory=list)
    contents: dict[str, MessageVersion] = field(default_factory=dict)  # the last answer's, by result id


class EmulatorState(BackgroundServer):
    """The emulator's state and the helpers every section of the API shares."""

    def __init__(
        self,
        token: str = "123:ABC",
        bot_username: str = "newsbot_test_bot",
        *,
        bot_name: str = "Newsbot Test",
        privacy_mode: bool = False,
        inline_mode: bool = False,
        inline_feedback: bool = False,
        inline_query_lifetime: float | None = None,
    ) -> None:
        if not re.fullmatch(r"\d+:[\w-]+", token):
            raise ValueError("a bot token looks like '123456:ABC-def'")
        super().__init__()
        self.token = token
        self.bot_username = bot_username
        self.privacy_mode = privacy_mode  # in groups, deliver only commands, mentions and replies to the bot
        self.inline_mode = inline_mode  # BotFather's /setinline: clients send inline queries
        self.inline_feedback = inline_feedback  # BotFather's /setinlinefeedback: chosen_inline_result updates
        self.inline_query_lifetime = inline_query_lifetime  # seconds a query can be answered (None: always)
        self.bot = User(int(token.split(":")[0]), bot_name, bot_username, language_code=None, is_bot=True)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._listeners: set[Callable[[], None]] = set()
        self._chats: dict[int, Chat] = {}
        self._administered: set[int] = set()  # channels the bot is an admin of: their posts reach it
        self._messages: dict[int, dict[int, StoredMessage]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._bot_message_order: list[tuple[int, int]] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._allowed_updates = DEFAULT_ALLOWED
        self._poll_generation = 0
        self._webhook: dict[str, Any] | None = None
        self._callback_queries: dict[str, dict[str, Any]] = {}
        self._callback_ids = itertools.count(4_000_000_000_000_000_001)
        self._callback_answers: list[CallbackAnswer] = []
        self._inline_queries: dict[str, InlineQuery] = {}
        self._inline_ids = itertools.count(5_000_000_000_000_000_001)
        self._chat_actions: list[ChatAction] = []
        self._requests: list[ApiRequest] = []
        self._server_errors: list[str] = []
        self._faults: dict[str, list[ApiError]] = {}
        self._files: dict[str, StoredFile] = {}
        self._photos: dict[str, list[dict[str, Any]]] = {}  # each size's file_id -> the photo's sizes
        self._file_ids = itertools.count(1)
        self._downloads: list[str] = []
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._runner: web.AppRunner | None = None
        self._updates_changed: asyncio.Event | None = None
        self._stopping = False

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        with self._lock:
            if kind not in self._allowed_updates:
                LOG.debug("dropping a %s update: not in allowed_updates", kind)
                return
            self._updates.append({"update_id": next(self._update_ids), kind: copy.deepcopy(payload)})
            self._notify()
        if self._loop is not None and self._updates_changed is not None:
            with contextlib.suppress(RuntimeError):  # stopped: nobody is polling
                self._loop.call_soon_threadsafe(self._updates_changed.set)

    def _notify(self) -> None:
        """Wake the waiters; called with the lock held after every change."""
        self._changed.notify_all()
        for wake in list(self._listeners):
            wake()


def without_reply(message: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in copy.deepcopy(message).items() if key != "reply_to_message"}


def inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of a reply markup a message keeps: only inline keyboards are shown under messages."""
    return markup if markup is not None and "inline_keyboard" in markup else None


def content_json(version: MessageVersion, kind: str) -> dict[str, Any]:
    content: dict[str, Any] = {}
    if version.text or kind == "text":
        content[kind] = version.text
    if version.entities:
        content["caption_entities" if kind == "caption" else "entities"] = list(version.entities)
    if (markup := inline_markup(version.reply_markup)) is not None:
        content["reply_markup"] = markup
    return copy.deepcopy(content)
