"""Channels: posts and their edits reach the bot (`channel_post`, `edited_channel_post`, with the channel
as `sender_chat` and no `from`) only while it is one of the channel's admins."""

from __future__ import annotations

import copy
import time
from typing import Any

from .files import Files
from .formatting import user_entities
from .limits import MAX_CAPTION, MAX_TEXT
from .protocol import ApiError
from .records import Chat
from .state import StoredMessage


class Channels(Files):
    """The test's channels and what they post."""

    def channel_chat(
        self, chat_id: int, title: str, username: str | None = None, *, bot_is_admin: bool = True
    ) -> Chat:
        """A channel; Telegram sends its posts to the bot only while the bot is one of its admins."""
        if not str(chat_id).startswith("-100"):
            raise ValueError(f"channel ids start with -100, got {chat_id}")
        chat = self._register(Chat(chat_id, "channel", title=title, username=username))
        with self._lock:
            if bot_is_admin:
                self._administered.add(chat_id)
            else:
                self._administered.discard(chat_id)
        return chat

    def post_to_channel(
        self,
        channel: Chat,
        text: str | None = None,
        *,
        photo: bytes | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """The channel publishes a post: a text, or a photo (image bytes) with an optional caption; return
        the post as the bot gets it in a `channel_post` update (when it administers the channel)."""
        if channel.type != "channel":
            raise ValueError(f"chat {channel.id} is a {channel.type}, not a channel")
        if (text is None) == (photo is None) or (text is not None and caption is not None):
            raise ValueError("a post is a text, or a photo with an optional caption")
        fields: dict[str, Any] = {}
        if text is not None:
            if not text.strip() or len(text) > MAX_TEXT:
                raise ValueError(f"Telegram clients send 1..{MAX_TEXT} characters; split longer texts")
            fields = {"text": text} | ({"entities": e} if (e := user_entities(text)) else {})
        with self._lock:
            if photo is not None:
                try:
                    sizes = self._store_photo(photo)
                except ApiError as exc:
                    raise ValueError(f"not a photo Telegram accepts: {exc.description}") from None
                fields = {"photo": [size.photo_size_json() for size in sizes]}
                if caption:
                    if len(caption) > MAX_CAPTION:
                        raise ValueError(f"a caption has up to {MAX_CAPTION} characters")
                    fields |= {"caption": caption}
                    if entities := user_entities(caption):
                        fields["caption_entities"] = entities
            post: dict[str, Any] = {
                "message_id": next(self._message_ids[channel.id]),
                "sender_chat": channel.to_json(),
                "chat": channel.to_json(),
                "date": int(time.time()),
            } | fields
            self._messages[channel.id][post["message_id"]] = StoredMessage(post, from_bot=False)
            if channel.id in self._administered:
                self._enqueue("channel_post", post)
            return copy.deepcopy(post)

    def edit_channel_post(self, channel: Chat, message_id: int, text: str) -> dict[str, Any]:
        """The channel edits a post's text (a photo's caption); the bot gets an `edited_channel_post`
        with the whole post as it stands now and its `edit_date`."""
        with self._lock:
            stored = self._messages.get(channel.id, {}).get(message_id)
            if stored is None or stored.deleted or stored.from_bot or "sender_chat" not in stored.json:
                raise LookupError(f"channel {channel.id} has no post {message_id}")
            kind = "caption" if "photo" in stored.json else "text"
            entities_key = "caption_entities" if kind == "caption" else "entities"
            if not text.strip() or len(text) > (MAX_CAPTION if kind == "caption" else MAX_TEXT):
                raise ValueError(f"a post's {kind} cannot be empty or that long")
            if stored.json.get(kind) == text:
                raise ValueError("the post already says that: Telegram sends no edit")
            stored.json.pop(entities_key, None)
            stored.json |= {kind: text, "edit_date": int(time.time())}
            if entities := user_entities(text):
                stored.json[entities_key] = entities
            if channel.id in self._administered:
                self._enqueue("edited_channel_post", stored.json)
            return copy.deepcopy(stored.json)
