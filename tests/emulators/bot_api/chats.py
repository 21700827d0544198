"""People and chats: the test's users, private chats and groups; `getChat` and `sendChatAction`."""

from __future__ import annotations

import itertools
from typing import Any

from .protocol import Params, bad
from .records import Chat, ChatAction, User
from .state import EmulatorState

_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip


class Chats(EmulatorState):
    """The test's users and chats, and the chat methods of the API."""

    def user(self, user_id: int, first_name: str, username: str | None = None) -> User:
        return User(user_id, first_name, username)

    def private_chat(self, user: User) -> Chat:
        chat = Chat(user.id, "private", username=user.username, first_name=user.first_name)
        return self._register(chat)

    def group_chat(self, chat_id: int, title: str, *, supergroup: bool = False) -> Chat:
        if chat_id >= 0:
            raise ValueError(f"group chat ids are negative (-100... for supergroups), got {chat_id}")
        return self._register(Chat(chat_id, "supergroup" if supergroup else "group", title=title))

    def _register(self, chat: Chat) -> Chat:
        with self._lock:
            self._chats.setdefault(chat.id, chat)
            self._messages.setdefault(chat.id, {})
            self._message_ids.setdefault(chat.id, itertools.count(1))
        return chat

    @property
    def chat_actions(self) -> list[ChatAction]:
        with self._lock:
            return list(self._chat_actions)

    # -- Bot API methods

    def _chat(self, params: Params) -> Chat:
        """The chat named by `chat_id` (an id or an @username); call with the lock held."""
        raw = params.values.get("chat_id")
        if raw is None or raw == "":
            raise bad("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            name = raw[1:].lower()
            chat = next((c for c in self._chats.values() if (c.username or "").lower() == name), None)
        else:
            chat = self._chats.get(params.integer("chat_id") or 0)
        if chat is None:
            raise bad("chat not found")
        return chat

    def _get_chat(self, params: Params) -> dict[str, Any]:
        with self._lock:
            chat = self._chat(params)
        gifts = {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False}
        gifts |= {"premium_subscription": False, "gifts_from_channels": False}
        full = {"accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}
        return chat.to_json() | full

    def _send_chat_action(self, params: Params) -> bool:
        with self._lock:
            chat = self._chat(params)
            action = params.text("action")
            if action not in _CHAT_ACTIONS:
                raise bad("wrong parameter action in request")
            self._chat_actions.append(ChatAction(chat.id, action))
            self._notify()
        return True
