"""Messages: what a user sends (and whether it reaches the bot) and `sendMessage`, with the text or
caption checks, reply targets and storing every message the bot sends."""

from __future__ import annotations

import copy
import time
from typing import Any

from .buttons import check_reply_markup
from .chats import Chats
from .formatting import COMMAND_RE, MENTION_RE, EntityParseError, finish_entities, parse_html, user_entities
from .limits import MAX_TEXT
from .protocol import Params, bad, explicit_entities
from .records import Chat, MessageVersion, User
from .state import StoredMessage, content_json, without_reply


class Messages(Chats):
    """A user's messages reaching the bot; the bot's messages, checked and stored."""

    def send_text(self, chat: Chat, user: User, text: str, *, reply_to: int | None = None) -> dict[str, Any]:
        """`user` sends `text` to `chat`; return the message as the bot will get it."""
        if not text.strip() or len(text) > MAX_TEXT:
            raise ValueError(f"Telegram clients send 1..{MAX_TEXT} characters; split longer texts")
        fields: dict[str, Any] = {"text": text}
        if entities := user_entities(text):
            fields["entities"] = entities
        return self._user_message(chat, user, fields, text, reply_to)

    def _user_message(
        self, chat: Chat, user: User, fields: dict[str, Any], text: str, reply_to: int | None
    ) -> dict[str, Any]:
        self._register(chat)
        with self._lock:
            message: dict[str, Any] = {
                "message_id": next(self._message_ids[chat.id]),
                "from": user.to_json(),
                "chat": chat.to_json(),
                "date": int(time.time()),
            } | fields
            if reply_to is not None:
                target = self._messages[chat.id].get(reply_to)
                if target is None or target.deleted:
                    raise LookupError(f"chat {chat.id} has no message {reply_to} to reply to")
                message["reply_to_message"] = without_reply(target.json)
            self._messages[chat.id][message["message_id"]] = StoredMessage(message, from_bot=False)
            if self._reaches_bot(chat, message, text):
                self._enqueue("message", message)
            return copy.deepcopy(message)

    def _reaches_bot(self, chat: Chat, message: dict[str, Any], text: str) -> bool:
        if not self.privacy_mode or chat.type == "private":
            return True
        me = self.bot_username.lower()
        commands = [(m.group(2) or me).lower() for m in COMMAND_RE.finditer(text)]
        mentions = [m.group(1).lower() for m in MENTION_RE.finditer(text)]
        replied = message.get("reply_to_message", {}).get("from", {}).get("id") == self.bot.id
        return me in commands or me in mentions or replied

    # -- Bot API methods

    def _version(self, params: Params, name: str, limit: int, *, required: bool) -> MessageVersion:
        """The text or caption to show, checked as Telegram checks it, with the reply markup."""
        raw = params.text(name) or ""
        parse_mode = params.text("parse_mode") or None
        if parse_mode is None:
            entities_name = "caption_entities" if name == "caption" else "entities"
            text, entities = finish_entities(raw, explicit_entities(params, entities_name))
        elif parse_mode.lower() == "html":
            try:
                text, entities = parse_html(raw)
            except EntityParseError as error:
                raise bad(f"can't parse entities: {error}") from None
        elif parse_mode.lower() in ("markdown", "markdownv2"):
            raise bad(f"unsupported parse_mode {parse_mode!r}: the emulator implements HTML only")
        else:
            raise bad("unsupported parse_mode")
        if required and not text:
            raise bad("message text is empty")
        if len(text) > limit:
            raise bad("message caption is too long" if name == "caption" else "message is too long")
        markup = params.json("reply_markup", what="reply keyboard markup")
        markup = check_reply_markup(markup) if markup is not None else None
        return MessageVersion(text, raw, parse_mode, entities, markup)

    def _reply_target(self, params: Params, chat: Chat) -> StoredMessage | None:
        reply = params.json("reply_parameters") or {}
        if not isinstance(reply, dict):
            raise bad("can't parse reply parameters JSON object")
        message_id = reply.get("message_id") or params.integer("reply_to_message_id")
        if not message_id:
            return None
        if not isinstance(message_id, int):
            raise bad("can't parse reply parameters JSON object")
        target = self._messages[chat.id].get(message_id)
        if target is None or target.deleted:
            allow = reply.get("allow_sending_without_reply") or params.flag("allow_sending_without_reply")
            if allow:
                return None
            raise bad("message to be replied not found")
        return target

    def _store_bot_message(
        self, chat: Chat, version: MessageVersion, params: Params, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Store a new bot message; call with the lock held; return its JSON."""
        reply_to = self._reply_target(params, chat)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat.id]),
            "from": self.bot.to_json(),
            "chat": chat.to_json(),
            "date": int(time.time()),
        } | fields
        message |= content_json(version, "caption" if {"document", "photo"} & fields.keys() else "text")
        if reply_to is not None:
            message["reply_to_message"] = without_reply(reply_to.json)
        self._messages[chat.id][message["message_id"]] = StoredMessage(message, True, [version])
        self._bot_message_order.append((chat.id, message["message_id"]))
        self._notify()
        return copy.deepcopy(message)

    def _send_message(self, params: Params) -> dict[str, Any]:
        with self._lock:
            chat = self._chat(params)
            version = self._version(params, "text", MAX_TEXT, required=True)
            return self._store_bot_message(chat, version, params, {})
