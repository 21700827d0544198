"""Updating messages: `editMessageText`, `editMessageReplyMarkup` (each edit kept as a version of the
message) and `deleteMessage`."""

from __future__ import annotations

import copy
import time
from typing import Any

from .buttons import check_reply_markup
from .limits import MAX_TEXT
from .messages import Messages
from .protocol import Params, bad
from .records import MessageVersion
from .state import StoredMessage, content_json, inline_markup

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same as "
    "a current content and reply markup of the message"
)


class Editing(Messages):
    """The bot's edits and deletions of its messages."""

    def _edited_message(self, params: Params) -> StoredMessage:
        if params.values.get("inline_message_id"):
            raise bad("the emulator does not implement inline messages")
        chat = self._chat(params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad("message identifier is not specified")
        stored = self._messages[chat.id].get(message_id)
        if stored is None or stored.deleted:
            raise bad("message to edit not found")
        if not stored.from_bot:
            raise bad("message can't be edited")
        return stored

    def _edit_message_text(self, params: Params) -> dict[str, Any]:
        with self._lock:
            stored = self._edited_message(params)
            if "text" not in stored.json:
                raise bad("there is no text in the message to edit")
            return self._apply_edit(stored, self._version(params, "text", MAX_TEXT, required=True))

    def _edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        with self._lock:
            stored = self._edited_message(params)
            current = stored.versions[-1]
            markup = params.json("reply_markup", what="reply keyboard markup")
            markup = check_reply_markup(markup) if markup is not None else None
            version = MessageVersion(current.text, current.html, current.parse_mode, current.entities, markup)
            return self._apply_edit(stored, version)

    def _apply_edit(self, stored: StoredMessage, version: MessageVersion) -> dict[str, Any]:
        current = stored.versions[-1]
        same = (version.text, version.entities, inline_markup(version.reply_markup))
        if same == (current.text, current.entities, inline_markup(current.reply_markup)):
            raise bad(_NOT_MODIFIED)
        kind = "caption" if {"document", "photo"} & stored.json.keys() else "text"
        for key in (kind, f"{kind}_entities" if kind == "caption" else "entities", "reply_markup"):
            stored.json.pop(key, None)
        stored.json |= content_json(version, kind) | {"edit_date": int(time.time())}
        stored.versions.append(version)
        self._notify()
        return copy.deepcopy(stored.json)

    def _delete_message(self, params: Params) -> bool:
        with self._lock:
            chat = self._chat(params)
            stored = self._messages[chat.id].get(params.integer("message_id") or 0)
            if stored is None or stored.deleted:
                raise bad("message to delete not found")
            stored.deleted = True
            self._notify()
        return True
