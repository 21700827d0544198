"""A local peer of the Telegram Bot API, for end-to-end tests.

`BotApiEmulator` speaks the Bot API HTTP protocol (https://core.telegram.org/bots/api) on a free loopback
port, from a background thread with its own event loop, closely enough that the real python-telegram-bot
`Application` runs against it unchanged. The test plays the Telegram users and watches what the bot did:

    with BotApiEmulator() as emu:
        app = (
            Application.builder().token(emu.token)
            .base_url(emu.base_url).base_file_url(emu.base_file_url).build()
        )
        ...  # start polling (see tests/emulators/test_bot_api_emulator.py)
        alice = emu.user(1, "Alice", "alice")
        emu.send_text(emu.private_chat(alice), alice, "/start")
        [reply] = await emu.wait_for_messages_async(alice.id, 1)
        assert reply.text == "Hello!"  # what Alice sees; reply.html is what the bot sent

Every test-side method is thread-safe. The blocking waiters (`wait_for`, `wait_for_messages`) refuse to
run inside an event loop, since they would stall the loop the bot answers on; async tests use the
`*_async` twins.

Requests arrive as PTB sends them (form-urlencoded, or multipart with uploads; non-string values
JSON-encoded) or as a JSON body. Answers are `{"ok": true, "result": ...}` or the API's error body:

    400 Bad Request: ...   bad parameters, HTML that does not parse, text too long, message not modified
    401 Unauthorized       another token
    404 Not Found          unknown method or file
    409 Conflict: ...      getUpdates while a webhook is set, or superseded by a newer getUpdates
    500 Internal Server Error: ...   a bug in the emulator (logged, kept in `server_errors`); it keeps serving

HTML follows tdlib's parser, the one behind the real API: the same tags, attribute rules, entity decoding
(`&lt;` `&gt;` `&amp;` `&quot;` and numeric references; any other `&` stays literal) and error wording;
entity offsets are in UTF-16 code units; texts are trimmed of surrounding whitespace; the length limits
apply to the visible text. Only `message`, `callback_query` and, with `inline_mode=True`, `inline_query`
updates are produced (`chosen_inline_result` too with `inline_feedback=True`), and `channel_post` /
`edited_channel_post` for channels the bot administers (`channel_chat`, `post_to_channel`,
`edit_channel_post`: `sender_chat` is the channel, no `from`, an edit carries `edit_date`); inline
answers take article results with text content. Not emulated: Markdown parse modes (refused with a 400
so nothing passes unchecked), webhook delivery (`setWebhook` is recorded), media other than documents
and photos. Rate limits are scripted: `flood(k)` answers the next k `sendMessage` calls with Telegram's
429 (`retry_after` in `parameters`), sending nothing, and `fail_next` scripts any other error.

`sendPhoto` takes an upload, a known `file_id` or an http(s) URL (fetched as Telegram fetches it) and
answers with the `PhotoSize` array Telegram makes: 90, 320, 800, 1280 and 2560 pixels on the longer side,
up to the image's own size. Nothing is resized or re-encoded: every size's file holds the bytes sent,
which `file_content(file_id)` returns to the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import io
import itertools
import json
import logging
import mimetypes
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, TypeVar

from aiohttp import ClientError, ClientSession, ClientTimeout, web
from PIL import Image, UnidentifiedImageError

from tests.emulators.background import BackgroundServer

__all__ = [
    "ApiRequest",
    "BotApiEmulator",
    "CallbackAnswer",
    "Chat",
    "ChatAction",
    "EntityParseError",
    "InlineAnswer",
    "MessageVersion",
    "SentMessage",
    "User",
    "parse_html",
    "utf16_len",
]

_LOG = logging.getLogger(__name__)
T = TypeVar("T")

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
PHOTO_SIDES = (90, 320, 800, 1280, 2560)
MAX_PHOTO_URL_BYTES = 5 * 1024 * 1024
"""The longer side of the sizes Telegram makes of a photo (s, m, x, y, w), up to the photo's own."""
MAX_INLINE_QUERY = 256
MAX_INLINE_RESULTS = 50
_INLINE_CHAT_TYPES = frozenset({"sender", "private", "group", "supergroup", "channel"})
_DEFAULT_ALLOWED = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
        "business_message", "edited_business_message", "deleted_business_messages", "inline_query",
        "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query",
        "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_join_request",
        "chat_boost", "removed_chat_boost",
    }
)  # fmt: skip
_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip
_BUTTON_ACTIONS = frozenset(
    {
        "url", "callback_data", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    }
)  # fmt: skip
_COMMAND_RE = re.compile(r"(?<![\w/<>])/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{3,32}))?(?!\w)", re.ASCII)
_MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,32})(?!\w)", re.ASCII)
_BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}", re.ASCII)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same as "
    "a current content and reply markup of the message"
)


# ---- records ------------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class _Upload:
    filename: str
    content_type: str | None
    content: bytes


@dataclass(frozen=True)
class _StoredFile:
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
class _StoredMessage:
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
class _InlineQuery:
    json: dict[str, Any]
    sent_at: float  # time.monotonic()
    answers: list[InlineAnswer] = field(default_factory=list)
    contents: dict[str, MessageVersion] = field(default_factory=dict)  # the last answer's, by result id


# ---- HTML, as tdlib parses it -------------------------------------------------------------------------


class EntityParseError(ValueError):
    """HTML the API refuses; the message is worded as Telegram words it."""


_SPACES = frozenset(" \t\r\n\v\f")
_TRIM = " \t\r\n\v\f"
_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "blockquote"}
    | {"tg-spoiler", "span"}
)
_SIMPLE_ENTITIES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "tg-spoiler": "spoiler",
    "span": "spoiler", "code": "code",
}  # fmt: skip
_NAMED_REFERENCES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite"})
# tdlib's order for entities on the same range, outermost first; code and pre swallow what they contain
_PRIORITY = {"blockquote": 0, "expandable_blockquote": 0, "pre": 11, "code": 20, "text_link": 49}
_PRIORITY |= {"bold": 90, "italic": 91, "underline": 92, "strikethrough": 93}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _decode_reference(s: str, pos: int) -> tuple[str, int] | None:
    """tdlib's decode_html_entity: the character at `&...` and where it ends; the `;` is optional."""
    end = pos + 1
    if s[end] == "#":
        end += 1
        hexadecimal = s[end] == "x"
        end += hexadecimal
        start = end
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while s[end] in digits:
            end += 1
        code = int(s[start:end], 16 if hexadecimal else 10) if end > start else 0
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF or end - pos >= 10:
            return None
        char = chr(code)
    else:
        while s[end].isascii() and s[end].isalpha():
            end += 1
        named = _NAMED_REFERENCES.get(s[pos + 1 : end])
        if named is None:
            return None
        char = named
    return char, end + (s[end] == ";")


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the visible text
    start: int  # index in the visible text


class _HtmlParser:
    """One pass over the raw text: visible text, entities, or EntityParseError."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.s = html + "\0"  # tdlib reads a C string; the sentinel ends every inner scan
        self.i = 0
        self.out: list[str] = []
        self.length16 = 0
        self.length = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def at(self, index: int) -> str:
        return f"at byte offset {len(self.html[:index].encode('utf-8', 'surrogatepass'))}"

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.length += len(text)
        self.length16 += utf16_len(text)

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        while self.i < len(self.html):
            char = self.s[self.i]
            if char == "&" and (decoded := _decode_reference(self.s, self.i)):
                self.emit(decoded[0])
                self.i = decoded[1]
            elif char != "<":
                self.emit(char)
                self.i += 1
            elif self.s[self.i + 1] == "/":
                self.close_tag()
            else:
                self.open_tag()
        if self.stack:
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        return "".join(self.out), self.entities

    def skip_spaces(self) -> None:
        while self.s[self.i] in _SPACES:
            self.i += 1

    def open_tag(self) -> None:
        s, begin = self.s, self.i
        self.i += 1
        while s[self.i] not in _SPACES and s[self.i] not in ">\0":
            self.i += 1
        if s[self.i] == "\0":
            raise EntityParseError(f"Unclosed start tag {self.at(begin)}")
        name = s[begin + 1 : self.i].lower()
        if name not in _TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" {self.at(begin)}')
        argument = ""
        while s[self.i] != ">":
            argument = self.attribute(name, begin, argument)
        self.i += 1
        if name == "span" and argument != "spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" {self.at(begin)}')
        self.stack.append(_OpenTag(name, argument, self.length16, self.length))

    def attribute(self, tag: str, begin: int, argument: str) -> str:
        """Read one attribute of `tag`; return the tag's argument, updated if this attribute sets it."""
        s = self.s
        self.skip_spaces()
        if s[self.i] == ">":
            return argument
        start = self.i
        while s[self.i] not in _SPACES and s[self.i] not in "=>\0":
            self.i += 1
        attribute = s[start : self.i].lower()
        if not attribute:
            raise EntityParseError(f'Empty attribute name in the tag "{tag}" {self.at(begin)}')
        self.skip_spaces()
        if s[self.i] != "=":
            if tag == "blockquote" and attribute == "expandable":
                return "expandable"
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" {self.at(begin)}'
            )
        self.i += 1
        self.skip_spaces()
        if s[self.i] == "\0":
            raise EntityParseError(f'Unclosed start tag "{tag}" {self.at(begin)}')
        value = self.attribute_value()
        if s[self.i] == "\0":
            raise EntityParseError(f"Unclosed start tag {self.at(begin)}")
        if tag == "a" and attribute == "href":
            return value
        if tag == "code" and attribute == "class" and value.startswith("language-"):
            return value.removeprefix("language-")
        if tag == "span" and attribute == "class" and value.startswith("tg-"):
            return value.removeprefix("tg-")
        return argument

    def attribute_value(self) -> str:
        s = self.s
        if s[self.i] not in "'\"":  # a name token: letters, digits, periods, hyphens; case-insensitive
            start = self.i
            while s[self.i].isascii() and (s[self.i].isalnum() or s[self.i] in ".-"):
                self.i += 1
            if s[self.i] not in _SPACES and s[self.i] not in ">\0":
                raise EntityParseError(f"Unexpected end of name token {self.at(start)}")
            return s[start : self.i].lower()
        quote = s[self.i]
        self.i += 1
        chars: list[str] = []
        while s[self.i] not in (quote, "\0"):
            if s[self.i] == "&" and (decoded := _decode_reference(s, self.i)):
                chars.append(decoded[0])
                self.i = decoded[1]
            else:
                chars.append(s[self.i])
                self.i += 1
        self.i += s[self.i] == quote
        return "".join(chars)

    def close_tag(self) -> None:
        s, begin = self.s, self.i
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag {self.at(begin)}")
        self.i += 2
        while s[self.i] not in _SPACES and s[self.i] not in ">\0":
            self.i += 1
        end_name = s[begin + 2 : self.i].lower()
        self.skip_spaces()
        if s[self.i] != ">":
            raise EntityParseError(f"Unclosed end tag {self.at(begin)}")
        self.i += 1
        tag = self.stack.pop()
        if end_name and end_name != tag.name:
            raise EntityParseError(
                f'Unmatched end tag {self.at(begin)}, expected "</{tag.name}>", found "</{end_name}>"'
            )
        if self.length16 > tag.offset:
            self.add_entity(tag)

    def add_entity(self, tag: _OpenTag) -> None:
        entity: dict[str, Any] = {"offset": tag.offset, "length": self.length16 - tag.offset}
        if tag.name in _SIMPLE_ENTITIES:
            entity["type"] = _SIMPLE_ENTITIES[tag.name]
            if tag.name == "code" and tag.argument:
                entity["language"] = tag.argument  # kept only when a <pre> around it takes it
        elif tag.name == "a":
            url = _link_url(tag.argument or "".join(self.out)[tag.start :])
            if url is None:
                return
            entity |= {"type": "text_link", "url": url}
        elif tag.name == "pre":
            entity["type"] = "pre"
            inner = self.entities[-1] if self.entities else {}
            if inner.get("type") == "code" and inner["offset"] == tag.offset and "language" in inner:
                entity["language"] = inner["language"]
        else:
            entity["type"] = "expandable_blockquote" if tag.argument else "blockquote"
        self.entities.append(entity)


def _link_url(url: str) -> str | None:
    """The URL of a text link, or None where tdlib would drop the link and keep the text."""
    url = url.strip()
    if not url or any(char.isspace() for char in url):
        return None
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme is None:
        return f"http://{url}"
    return url if scheme.group(1).lower() in _LINK_SCHEMES else None


def _finish(text: str, entities: list[dict[str, Any]]) -> tuple[str, tuple[dict[str, Any], ...]]:
    """Trim surrounding whitespace, drop what is empty or nested in code, order as Telegram does."""
    left16 = utf16_len(text[: len(text) - len(text.lstrip(_TRIM))])
    text = text.strip(_TRIM)
    total = utf16_len(text)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - left16, 0)
        end = min(entity["offset"] + entity["length"] - left16, total)
        if end > start:
            kept.append(entity | {"offset": start, "length": end - start})
    kept.sort(key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))
    shown: list[dict[str, Any]] = []
    for entity in kept:
        if any(_inside(entity, other) for other in shown if other["type"] in ("code", "pre")):
            continue
        if entity["type"] == "code":
            entity.pop("language", None)
        shown.append(entity)
    return text, tuple(shown)


def _inside(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
    start: int = inner["offset"]
    end: int = start + inner["length"]
    return bool(outer["offset"] <= start and end <= outer["offset"] + outer["length"])


def parse_html(html: str) -> tuple[str, tuple[dict[str, Any], ...]]:
    """The visible text and entities of `html` with `parse_mode=HTML`; raise EntityParseError."""
    return _finish(*_HtmlParser(html).parse())


def _user_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram adds to what a user types: bot commands and @mentions."""
    found = [(m.start(), m.end(), "bot_command") for m in _COMMAND_RE.finditer(text)]
    found += [(m.start(), m.end(), "mention") for m in _MENTION_RE.finditer(text)]
    return [
        {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])}
        for start, end, kind in sorted(found)
    ]


# ---- protocol plumbing --------------------------------------------------------------------------------


class _ApiError(Exception):
    """An error answer: HTTP status, `error_code` and `description` as the API sends them."""

    def __init__(self, error_code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def response(self) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.error_code)


def _bad(description: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {description}")


class _Params:
    """A request's parameters, typed on access as the API coerces them."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, _Upload]) -> None:
        self.values = values
        self.uploads = uploads

    def logged(self) -> dict[str, Any]:
        summary = {name: {"upload": u.filename, "size": len(u.content)} for name, u in self.uploads.items()}
        return dict(self.values) | summary

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise _bad(f'parameter "{name}" must be a string')

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise _bad(f'parameter "{name}" must be a number') from None

    def number(self, name: str, default: float) -> float:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _bad(f'parameter "{name}" must be a number') from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def json(self, name: str, what: str | None = None) -> Any:
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(f"can't parse {what or name} JSON object") from None


async def _read_params(request: web.Request) -> _Params:
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, _Upload] = {}
    if request.content_type == "application/json" and request.can_read_body:
        try:
            body = await request.json()
        except ValueError:
            raise _bad("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise _bad("can't parse JSON object")
        values |= body
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                uploads[name] = _Upload(value.filename, value.content_type, value.file.read())
            else:
                values[name] = value
    return _Params(values, uploads)


def _check_reply_markup(markup: Any) -> dict[str, Any]:
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if not {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
            raise _bad("can't parse reply keyboard markup JSON object")
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad(
            'can\'t parse inline keyboard button: Field "inline_keyboard" of the InlineKeyboardMarkup '
            "should be an Array of Arrays"
        )
    for button in (button for row in rows for button in row):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise _bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
        if not _BUTTON_ACTIONS & button.keys():
            raise _bad(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
            )
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= 64:
            raise _bad("BUTTON_DATA_INVALID")
    return markup


def _explicit_entities(params: _Params, name: str) -> list[dict[str, Any]]:
    """Entities the bot passed itself (no parse_mode)."""
    entities = params.json(name) or []
    fields = ("type", "offset", "length", "url", "language", "user", "custom_emoji_id")
    checked = []
    for entity in entities if isinstance(entities, list) else [None]:
        if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
            raise _bad(f"can't parse {name} JSON object")
        if not isinstance(entity.get("offset"), int) or not isinstance(entity.get("length"), int):
            raise _bad(f"can't parse {name} JSON object")
        checked.append({key: entity[key] for key in fields if key in entity})
    return checked


def _without_reply(message: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in copy.deepcopy(message).items() if key != "reply_to_message"}


class _FieldError(ValueError):
    """A malformed field of a JSON object, worded as tdlib's JSON reader words it."""


def _string_field(obj: dict[str, Any], name: str, *, required: bool) -> str:
    value = obj.get(name)
    if value is None:
        if required:
            raise _FieldError(f'Can\'t find field "{name}"')
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _FieldError(f'Field "{name}" must be of type String')
    return str(value)


def _inline_results_param(params: _Params) -> list[Any]:
    """The `results` of answerInlineQuery as a list, checked as the Bot API server checks it."""
    raw = params.values.get("results")
    if raw is None or raw == "":
        return []
    values = raw
    if isinstance(raw, str):
        try:
            values = json.loads(raw)
        except ValueError as error:
            raise _bad(f"can't parse JSON encoded inline query results: {error}") from None
    if values is None:
        return []
    if not isinstance(values, list):
        raise _bad("expected an Array of inline query results")
    if len(values) > MAX_INLINE_RESULTS:
        raise _bad("too many inline query results specified")
    return values


def _inline_result(value: Any) -> tuple[dict[str, Any], MessageVersion]:
    """One inline query result (an article with text content) and the message choosing it posts."""
    try:
        if not isinstance(value, dict):
            raise _FieldError("Inline query result must be an object")
        kind = _string_field(value, "type", required=True).lower()
        _string_field(value, "id", required=True)
        if kind != "article":
            raise _bad(f"the emulator implements article results only, not {kind!r}")
        content = value.get("input_message_content")
        if content is None:  # the legacy form: the message's fields in the result itself
            content = {key: value[key] for key in ("parse_mode", "entities") if key in value}
            content["message_text"] = _string_field(value, "message_text", required=True)
        elif not isinstance(content, dict):
            raise _FieldError('Field "input_message_content" must be of type Object')
        version = _inline_message(content)
        _string_field(value, "title", required=True)
        _string_field(value, "description", required=False)
        _string_field(value, "url", required=False)
    except _FieldError as error:
        raise _bad(f"can't parse inline query result: {error}") from None
    markup = value.get("reply_markup")
    if markup is not None:
        version = MessageVersion(
            version.text, version.html, version.parse_mode, version.entities, _check_reply_markup(markup)
        )
    return value, version


def _inline_message(content: dict[str, Any]) -> MessageVersion:
    text = _string_field(content, "message_text", required=False)
    if not text:
        if {"latitude", "phone_number", "payload"} & content.keys():
            raise _bad("the emulator implements text message content only")
        raise _FieldError("Input message content is not specified")
    if len(text.encode("utf-8", "surrogatepass")) > 1 << 15:
        raise _FieldError("Text is too long")
    parse_mode = _string_field(content, "parse_mode", required=False).lower()
    if parse_mode == "html":
        try:
            shown, entities = parse_html(text)
        except EntityParseError as error:
            raise _FieldError(f"Can't parse entities: {error}") from None
    elif parse_mode in ("", "none"):
        shown, entities = _finish(text, _explicit_entities(_Params(content, {}), "entities"))
    elif parse_mode in ("markdown", "markdownv2"):
        raise _bad(f"unsupported parse_mode {parse_mode!r}: the emulator implements HTML only")
    else:
        raise _FieldError("Unsupported parse_mode")
    if not shown:
        raise _bad("text must be non-empty")  # tdlib's check, after the entities are parsed
    return MessageVersion(shown, text, parse_mode or None, entities, None)


def _inline_button(params: _Params) -> dict[str, Any] | None:
    """The `button` shown above the results (start the bot with a parameter, or open a Web App)."""
    raw = params.values.get("button")
    if raw is None or raw == "":
        return None
    button = raw
    if isinstance(raw, str):
        try:
            button = json.loads(raw)
        except ValueError:
            raise _bad("can't parse inline query results button JSON object") from None
    prefix = "can't parse inline query results button: "
    if not isinstance(button, dict):
        raise _bad(prefix + "InlineQueryResultsButton must be an Object")
    try:
        _string_field(button, "text", required=True)
        if "start_parameter" in button:
            parameter = _string_field(button, "start_parameter", required=True)
        elif isinstance(button.get("web_app"), dict):
            _string_field(button["web_app"], "url", required=True)
            return button
        else:
            raise _FieldError("InlineQueryResultsButton must have exactly one optional field")
    except _FieldError as error:
        raise _bad(prefix + str(error)) from None
    if not parameter:
        raise _bad("can't use empty start_parameter")
    if len(parameter) > 64:
        raise _bad("too long start_parameter specified")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", parameter):
        raise _bad("unallowed characters in start_parameter are used")
    return button


# ---- the emulator -------------------------------------------------------------------------------------


class BotApiEmulator(BackgroundServer):
    """A Telegram Bot API server on 127.0.0.1 that tests drive as users; see the module docstring."""

    name = "BotApiEmulator"

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
        self._messages: dict[int, dict[int, _StoredMessage]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._bot_message_order: list[tuple[int, int]] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._allowed_updates = _DEFAULT_ALLOWED
        self._poll_generation = 0
        self._webhook: dict[str, Any] | None = None
        self._callback_queries: dict[str, dict[str, Any]] = {}
        self._callback_ids = itertools.count(4_000_000_000_000_000_001)
        self._callback_answers: list[CallbackAnswer] = []
        self._inline_queries: dict[str, _InlineQuery] = {}
        self._inline_ids = itertools.count(5_000_000_000_000_000_001)
        self._chat_actions: list[ChatAction] = []
        self._requests: list[ApiRequest] = []
        self._server_errors: list[str] = []
        self._faults: dict[str, list[_ApiError]] = {}
        self._files: dict[str, _StoredFile] = {}
        self._photos: dict[str, list[dict[str, Any]]] = {}  # each size's file_id -> the photo's sizes
        self._file_ids = itertools.count(1)
        self._downloads: list[str] = []
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._runner: web.AppRunner | None = None
        self._updates_changed: asyncio.Event | None = None
        self._stopping = False

    # -- lifecycle

    @property
    def url(self) -> str:
        return self.root_url

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder.base_url`: PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder.base_file_url`."""
        return f"{self.url}/file/bot"

    async def _open(self, sock: socket.socket) -> None:
        self._updates_changed = asyncio.Event()
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        app.router.add_route("*", "/{path:.*}", self._handle_unknown)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def _close(self) -> None:
        assert self._runner is not None and self._updates_changed is not None
        self._stopping = True
        self._updates_changed.set()
        await self._runner.cleanup()

    # -- test side: people and chats

    def user(self, user_id: int, first_name: str, username: str | None = None) -> User:
        return User(user_id, first_name, username)

    def private_chat(self, user: User) -> Chat:
        chat = Chat(user.id, "private", username=user.username, first_name=user.first_name)
        return self._register(chat)

    def group_chat(self, chat_id: int, title: str, *, supergroup: bool = False) -> Chat:
        if chat_id >= 0:
            raise ValueError(f"group chat ids are negative (-100... for supergroups), got {chat_id}")
        return self._register(Chat(chat_id, "supergroup" if supergroup else "group", title=title))

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

    def _register(self, chat: Chat) -> Chat:
        with self._lock:
            self._chats.setdefault(chat.id, chat)
            self._messages.setdefault(chat.id, {})
            self._message_ids.setdefault(chat.id, itertools.count(1))
        return chat

    # -- test side: what users do

    def send_text(self, chat: Chat, user: User, text: str, *, reply_to: int | None = None) -> dict[str, Any]:
        """`user` sends `text` to `chat`; return the message as the bot will get it."""
        if not text.strip() or len(text) > MAX_TEXT:
            raise ValueError(f"Telegram clients send 1..{MAX_TEXT} characters; split longer texts")
        fields: dict[str, Any] = {"text": text}
        if entities := _user_entities(text):
            fields["entities"] = entities
        return self._user_message(chat, user, fields, text, reply_to)

    def send_document(
        self,
        chat: Chat,
        user: User,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> dict[str, Any]:
        """`user` sends a file; the update carries a `document` whose `file_id` `getFile` resolves."""
        mime_type = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._store_file(filename, mime_type, content)
        fields: dict[str, Any] = {"document": stored.document_json()}
        if caption:
            fields["caption"] = caption
            if entities := _user_entities(caption):
                fields["caption_entities"] = entities
        return self._user_message(chat, user, fields, caption or "", None)

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
            fields = {"text": text} | ({"entities": e} if (e := _user_entities(text)) else {})
        with self._lock:
            if photo is not None:
                try:
                    sizes = self._store_photo(photo)
                except _ApiError as exc:
                    raise ValueError(f"not a photo Telegram accepts: {exc.description}") from None
                fields = {"photo": [size.photo_size_json() for size in sizes]}
                if caption:
                    if len(caption) > MAX_CAPTION:
                        raise ValueError(f"a caption has up to {MAX_CAPTION} characters")
                    fields |= {"caption": caption}
                    if entities := _user_entities(caption):
                        fields["caption_entities"] = entities
            post: dict[str, Any] = {
                "message_id": next(self._message_ids[channel.id]),
                "sender_chat": channel.to_json(),
                "chat": channel.to_json(),
                "date": int(time.time()),
            } | fields
            self._messages[channel.id][post["message_id"]] = _StoredMessage(post, from_bot=False)
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
            if entities := _user_entities(text):
                stored.json[entities_key] = entities
            if channel.id in self._administered:
                self._enqueue("edited_channel_post", stored.json)
            return copy.deepcopy(stored.json)

    def press_button(self, chat: Chat, user: User, message_id: int, callback_data: str) -> str:
        """`user` presses the inline button with `callback_data` under a bot message; return the query id."""
        with self._lock:
            stored = self._messages.get(chat.id, {}).get(message_id)
            if stored is None or stored.deleted or not stored.from_bot:
                raise LookupError(f"chat {chat.id} shows no bot message {message_id}")
            shown = stored.snapshot().buttons
            if not any(button.get("callback_data") == callback_data for button in shown):
                raise LookupError(f"message {message_id} has no button {callback_data!r}; it shows {shown}")
            query_id = str(next(self._callback_ids))
            query = {
                "id": query_id,
                "from": user.to_json(),
                "message": copy.deepcopy(stored.json),
                "chat_instance": str(abs(chat.id) * 7919 + 17),
                "data": callback_data,
            }
            self._callback_queries[query_id] = {"answered": False}
            self._enqueue("callback_query", query)
        return query_id

    def send_inline_query(
        self, user: User, query: str, *, offset: str = "", chat_type: str | None = "sender"
    ) -> str:
        """`user` types `@bot query` (in a chat of `chat_type`; None: a secret chat); return the query id."""
        if not self.inline_mode:
            raise RuntimeError("inline mode is off (BotFather: /setinline): clients send no inline queries")
        if len(query) > MAX_INLINE_QUERY or (chat_type is not None and chat_type not in _INLINE_CHAT_TYPES):
            raise ValueError(f"an inline query has up to {MAX_INLINE_QUERY} characters and a known chat type")
        with self._lock:
            query_id = str(next(self._inline_ids))
            payload: dict[str, Any] = {"id": query_id, "from": user.to_json(), "query": query}
            payload["offset"] = offset
            if chat_type is not None:
                payload["chat_type"] = chat_type
            self._inline_queries[query_id] = _InlineQuery(payload, time.monotonic())
            self._enqueue("inline_query", payload)
        return query_id

    async def inline_query_async(
        self, user: User, query: str, *, timeout: float = 10.0, **options: Any
    ) -> InlineAnswer:
        """`user` types an inline query (see `send_inline_query`); return the bot's answer to it."""
        query_id = self.send_inline_query(user, query, **options)
        return await self.wait_for_async(lambda: self._inline_answer(query_id), timeout)

    def choose_inline_result(
        self, chat: Chat, user: User, answer: InlineAnswer, result_id: str
    ) -> dict[str, Any]:
        """`user` picks result `result_id` of `answer` in `chat`: the client posts its message there, from
        `user` via the bot (the bot gets it as any message of that chat); return the message. With inline
        feedback on, the bot also gets a `chosen_inline_result`."""
        with self._lock:
            query = self._inline_queries[answer.inline_query_id]
            version = query.contents.get(result_id)
            if version is None:
                raise LookupError(f"the last answer to {answer.inline_query_id} has no result {result_id!r}")
            fields: dict[str, Any] = {"text": version.text, "via_bot": self.bot.to_json()}
            if version.entities:
                fields["entities"] = list(version.entities)
            if (markup := _inline(version.reply_markup)) is not None:
                fields["reply_markup"] = markup
            message = self._user_message(chat, user, fields, version.text, None)
            if self.inline_feedback:
                chosen = {"result_id": result_id, "from": user.to_json(), "query": query.json["query"]}
                self._enqueue("chosen_inline_result", chosen)
        return message

    def _inline_answer(self, query_id: str) -> InlineAnswer | None:
        with self._lock:
            answers = self._inline_queries[query_id].answers
            return answers[-1] if answers else None

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
                message["reply_to_message"] = _without_reply(target.json)
            self._messages[chat.id][message["message_id"]] = _StoredMessage(message, from_bot=False)
            if self._reaches_bot(chat, message, text):
                self._enqueue("message", message)
            return copy.deepcopy(message)

    def _reaches_bot(self, chat: Chat, message: dict[str, Any], text: str) -> bool:
        if not self.privacy_mode or chat.type == "private":
            return True
        me = self.bot_username.lower()
        commands = [(m.group(2) or me).lower() for m in _COMMAND_RE.finditer(text)]
        mentions = [m.group(1).lower() for m in _MENTION_RE.finditer(text)]
        replied = message.get("reply_to_message", {}).get("from", {}).get("id") == self.bot.id
        return me in commands or me in mentions or replied

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        with self._lock:
            if kind not in self._allowed_updates:
                _LOG.debug("dropping a %s update: not in allowed_updates", kind)
                return
            self._updates.append({"update_id": next(self._update_ids), kind: copy.deepcopy(payload)})
            self._notify()
        if self._loop is not None and self._updates_changed is not None:
            with contextlib.suppress(RuntimeError):  # stopped: nobody is polling
                self._loop.call_soon_threadsafe(self._updates_changed.set)

    def _store_file(self, filename: str, mime_type: str, content: bytes) -> _StoredFile:
        with self._lock:
            number = next(self._file_ids)
            suffix = PurePosixPath(filename).suffix
            stored = _StoredFile(
                file_id=f"BQACAgIAAxkBAAI{number:08d}",
                file_unique_id=f"AgAD{number:08d}",
                file_path=f"documents/file_{number}{suffix}",
                file_name=filename,
                mime_type=mime_type,
                content=content,
            )
            self._files[stored.file_id] = stored
        return stored

    # -- test side: faults

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` get this error instead of their answer (nothing is done)."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        with self._lock:
            faults = self._faults.setdefault(method.lower(), [])
            faults += [_ApiError(error_code, description, parameters) for _ in range(times)]

    def flood(self, times: int, *, retry_after: int = 1, method: str = "sendMessage") -> None:
        """Flood control as Telegram answers it: the next `times` calls of `method` get a 429 with
        `retry_after` seconds in `parameters`, and nothing is sent."""
        description = f"Too Many Requests: retry after {retry_after}"
        self.fail_next(method, 429, description, retry_after=retry_after, times=times)

    # -- test side: what the bot did

    def messages(self, chat: Chat | int, *, include_deleted: bool = False) -> list[SentMessage]:
        """The bot's messages in `chat`, oldest first, as they stand now."""
        chat_id = chat.id if isinstance(chat, Chat) else chat
        with self._lock:
            stored = self._messages.get(chat_id, {}).values()
            return [m.snapshot() for m in stored if m.from_bot and (include_deleted or not m.deleted)]

    def message(self, chat: Chat | int, message_id: int) -> SentMessage:
        chat_id = chat.id if isinstance(chat, Chat) else chat
        with self._lock:
            stored = self._messages.get(chat_id, {}).get(message_id)
            if stored is None or not stored.from_bot:
                raise LookupError(f"the bot sent no message {message_id} to chat {chat_id}")
            return stored.snapshot()

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        with self._lock:
            return list(self._callback_answers)

    @property
    def inline_answers(self) -> list[InlineAnswer]:
        """Every answer to an inline query, in the order the queries were typed."""
        with self._lock:
            return [answer for query in self._inline_queries.values() for answer in query.answers]

    @property
    def chat_actions(self) -> list[ChatAction]:
        with self._lock:
            return list(self._chat_actions)

    @property
    def requests(self) -> list[ApiRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def server_errors(self) -> list[str]:
        with self._lock:
            return list(self._server_errors)

    def file_content(self, file_id: str) -> bytes:
        """The bytes of a file the bot sent or a user sent (a photo's sizes all hold the bytes sent)."""
        with self._lock:
            return self._files[file_id].content

    @property
    def downloads(self) -> list[str]:
        """The file paths the bot downloaded."""
        with self._lock:
            return list(self._downloads)

    @property
    def webhook(self) -> dict[str, Any] | None:
        with self._lock:
            return copy.deepcopy(self._webhook)

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by a getUpdates `offset`."""
        with self._lock:
            return len(self._updates)

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, str]]:
        with self._lock:
            return copy.deepcopy(self._commands.get(_commands_key(scope, language_code), []))

    # -- test side: waiting

    def wait_for(self, predicate: Callable[[], T | None], timeout: float = 10.0) -> T:
        """Block until `predicate()` is truthy and return it; AssertionError with recent activity if not."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise RuntimeError("wait_for() would block this event loop; use `await emu.wait_for_async(...)`")
        deadline = time.monotonic() + timeout
        with self._changed:
            while not (result := predicate()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._timeout_report(predicate, timeout))
                self._changed.wait(remaining)
            return result

    async def wait_for_async(self, predicate: Callable[[], T | None], timeout: float = 10.0) -> T:
        """`wait_for` for async tests: the event loop keeps running (and the bot with it)."""
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()

        def wake() -> None:
            with contextlib.suppress(RuntimeError):  # the waiting loop is gone
                loop.call_soon_threadsafe(changed.set)

        with self._lock:
            self._listeners.add(wake)
        try:
            deadline = loop.time() + timeout
            while True:
                changed.clear()
                with self._lock:
                    result = predicate()
                if result:
                    return result
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise AssertionError(self._timeout_report(predicate, timeout))
                try:
                    await asyncio.wait_for(changed.wait(), remaining)
                except TimeoutError:
                    continue
        finally:
            with self._lock:
                self._listeners.discard(wake)

    def wait_for_messages(self, chat: Chat | int, count: int, timeout: float = 10.0) -> list[SentMessage]:
        """Block until the bot has at least `count` messages in `chat`; return them all."""
        return self.wait_for(lambda: self._at_least(chat, count), timeout)

    async def wait_for_messages_async(
        self, chat: Chat | int, count: int, timeout: float = 10.0
    ) -> list[SentMessage]:
        return await self.wait_for_async(lambda: self._at_least(chat, count), timeout)

    def _at_least(self, chat: Chat | int, count: int) -> list[SentMessage] | None:
        messages = self.messages(chat)
        return messages if len(messages) >= count else None

    def _notify(self) -> None:
        """Wake the waiters; called with the lock held after every change."""
        self._changed.notify_all()
        for wake in list(self._listeners):
            wake()

    def _timeout_report(self, predicate: Callable[..., Any], timeout: float) -> str:
        with self._lock:
            recent = [self._messages[c][m].snapshot() for c, m in self._bot_message_order[-10:]]
            calls = self._requests[-10:]
            errors = self._server_errors[-3:]
        lines = [f"timed out after {timeout}s waiting for {getattr(predicate, '__qualname__', predicate)}"]
        lines.append("recent bot messages:" if recent else "the bot sent no messages")
        for m in recent:
            edited = f" (edited {len(m.edits)}x)" if m.edits else ""
            lines.append(f"  chat {m.chat_id} #{m.message_id}{edited}: {m.text[:300]!r}")
        lines.append("recent requests:")
        lines += [f"  {r.method} -> {r.error_code or 'ok'} {r.description or ''}".rstrip() for r in calls]
        lines += [f"server error: {error}" for error in errors]
        return "\n".join(lines)

    # -- HTTP

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        return _ApiError(404, "Not Found").response()

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _ApiError(401, "Unauthorized").response()
        path = request.match_info["file_path"]
        with self._lock:
            stored = next((f for f in self._files.values() if f.file_path == path), None)
            if stored is not None:
                self._downloads.append(path)
                self._notify()
        if stored is None:
            return _ApiError(404, "Not Found").response()
        return web.Response(body=stored.content, content_type=stored.mime_type)

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _ApiError(401, "Unauthorized").response()
        method = request.match_info["method"]
        handler_name = _METHODS.get(method.lower())
        params = _Params({}, {})
        try:
            params = await _read_params(request)
            if handler_name is None:
                raise _ApiError(404, "Not Found")
            with self._lock:
                faults = self._faults.get(method.lower())
                if faults:
                    raise faults.pop(0)
            result = getattr(self, handler_name)(params)
            if inspect.isawaitable(result):
                result = await result
        except _ApiError as error:
            self._record(method, params, error.error_code, error.description)
            return error.response()
        except Exception as error:
            _LOG.exception("Bot API emulator failed in %s", method)
            description = f"Internal Server Error: {type(error).__name__}: {error}"
            with self._lock:
                self._server_errors.append(f"{method}: {type(error).__name__}: {error}")
            self._record(method, params, 500, description)
            return _ApiError(500, description).response()
        self._record(method, params, None, None)
        return web.json_response({"ok": True, "result": result})

    def _record(self, method: str, params: _Params, error_code: int | None, description: str | None) -> None:
        _LOG.debug("%s -> %s", method, error_code or "ok")
        with self._lock:
            self._requests.append(ApiRequest(method, params.logged(), error_code, description))
            self._notify()

    # -- Bot API methods: each takes the parameters and returns the `result`, or raises _ApiError

    def _get_me(self, params: _Params) -> dict[str, Any]:
        return self.bot.to_json() | {
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": self.inline_mode,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _get_chat(self, params: _Params) -> dict[str, Any]:
        with self._lock:
            chat = self._chat(params)
        gifts = {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False}
        gifts |= {"premium_subscription": False, "gifts_from_channels": False}
        full = {"accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}
        return chat.to_json() | full

    def _set_webhook(self, params: _Params) -> bool:
        url = params.text("url") or ""
        allowed = self._allowed_updates_param(params)
        with self._lock:
            if params.flag("drop_pending_updates"):
                self._updates.clear()
            if allowed is not None:
                self._allowed_updates = allowed
            self._webhook = None
            if url:
                self._webhook = {
                    "url": url,
                    "secret_token": params.text("secret_token"),
                    "max_connections": params.integer("max_connections", 40),
                    "allowed_updates": sorted(self._allowed_updates),
                    "ip_address": params.text("ip_address"),
                }
            self._notify()
        return True

    def _delete_webhook(self, params: _Params) -> bool:
        with self._lock:
            self._webhook = None
            if params.flag("drop_pending_updates"):
                self._updates.clear()
            self._notify()
        return True

    def _get_webhook_info(self, params: _Params) -> dict[str, Any]:
        with self._lock:
            info: dict[str, Any] = {"url": "", "has_custom_certificate": False}
            info["pending_update_count"] = len(self._updates)
            if self._webhook:
                info |= {
                    "url": self._webhook["url"],
                    "max_connections": self._webhook["max_connections"],
                    "allowed_updates": self._webhook["allowed_updates"],
                }
            return info

    def _allowed_updates_param(self, params: _Params) -> frozenset[str] | None:
        allowed = params.json("allowed_updates")
        if allowed is None:
            return None
        if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
            raise _bad("can't parse allowed_updates JSON object")
        return frozenset(allowed) or _DEFAULT_ALLOWED

    async def _get_updates(self, params: _Params) -> list[dict[str, Any]]:
        assert self._updates_changed is not None
        offset = params.integer("offset")
        limit = min(max(params.integer("limit", 100) or 100, 1), 100)
        timeout = max(params.number("timeout", 0.0), 0.0)
        allowed = self._allowed_updates_param(params)
        with self._lock:
            if self._webhook:
                raise _ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if allowed is not None:
                self._allowed_updates = allowed
            if offset:
                self._confirm(offset)
            self._poll_generation += 1
            generation = self._poll_generation
        self._updates_changed.set()  # an older long poll wakes up and ends with a Conflict
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._updates_changed.clear()
            with self._lock:
                if generation != self._poll_generation:
                    raise _ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    )
                batch = copy.deepcopy(self._updates[:limit])
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._stopping:
                return batch
            try:
                await asyncio.wait_for(self._updates_changed.wait(), remaining)
            except TimeoutError:
                continue

    def _confirm(self, offset: int) -> None:
        """Forget updates below a positive offset; a negative one keeps only the last -offset updates."""
        if offset < 0:
            del self._updates[:offset]
        else:
            self._updates = [update for update in self._updates if update["update_id"] >= offset]
        self._notify()

    def _chat(self, params: _Params) -> Chat:
        """The chat named by `chat_id` (an id or an @username); call with the lock held."""
        raw = params.values.get("chat_id")
        if raw is None or raw == "":
            raise _bad("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            name = raw[1:].lower()
            chat = next((c for c in self._chats.values() if (c.username or "").lower() == name), None)
        else:
            chat = self._chats.get(params.integer("chat_id") or 0)
        if chat is None:
            raise _bad("chat not found")
        return chat

    def _version(self, params: _Params, name: str, limit: int, *, required: bool) -> MessageVersion:
        """The text or caption to show, checked as Telegram checks it, with the reply markup."""
        raw = params.text(name) or ""
        parse_mode = params.text("parse_mode") or None
        if parse_mode is None:
            entities_name = "caption_entities" if name == "caption" else "entities"
            text, entities = _finish(raw, _explicit_entities(params, entities_name))
        elif parse_mode.lower() == "html":
            try:
                text, entities = parse_html(raw)
            except EntityParseError as error:
                raise _bad(f"can't parse entities: {error}") from None
        elif parse_mode.lower() in ("markdown", "markdownv2"):
            raise _bad(f"unsupported parse_mode {parse_mode!r}: the emulator implements HTML only")
        else:
            raise _bad("unsupported parse_mode")
        if required and not text:
            raise _bad("message text is empty")
        if len(text) > limit:
            raise _bad("message caption is too long" if name == "caption" else "message is too long")
        markup = params.json("reply_markup", what="reply keyboard markup")
        markup = _check_reply_markup(markup) if markup is not None else None
        return MessageVersion(text, raw, parse_mode, entities, markup)

    def _reply_target(self, params: _Params, chat: Chat) -> _StoredMessage | None:
        reply = params.json("reply_parameters") or {}
        if not isinstance(reply, dict):
            raise _bad("can't parse reply parameters JSON object")
        message_id = reply.get("message_id") or params.integer("reply_to_message_id")
        if not message_id:
            return None
        if not isinstance(message_id, int):
            raise _bad("can't parse reply parameters JSON object")
        target = self._messages[chat.id].get(message_id)
        if target is None or target.deleted:
            allow = reply.get("allow_sending_without_reply") or params.flag("allow_sending_without_reply")
            if allow:
                return None
            raise _bad("message to be replied not found")
        return target

    def _store_bot_message(
        self, chat: Chat, version: MessageVersion, params: _Params, fields: dict[str, Any]
    ) -> dict[str, Any]:
        """Store a new bot message; call with the lock held; return its JSON."""
        reply_to = self._reply_target(params, chat)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat.id]),
            "from": self.bot.to_json(),
            "chat": chat.to_json(),
            "date": int(time.time()),
        } | fields
        message |= _content_json(version, "caption" if {"document", "photo"} & fields.keys() else "text")
        if reply_to is not None:
            message["reply_to_message"] = _without_reply(reply_to.json)
        self._messages[chat.id][message["message_id"]] = _StoredMessage(message, True, [version])
        self._bot_message_order.append((chat.id, message["message_id"]))
        self._notify()
        return copy.deepcopy(message)

    def _send_message(self, params: _Params) -> dict[str, Any]:
        with self._lock:
            chat = self._chat(params)
            version = self._version(params, "text", MAX_TEXT, required=True)
            return self._store_bot_message(chat, version, params, {})

    def _send_document(self, params: _Params) -> dict[str, Any]:
        with self._lock:
            chat = self._chat(params)
            version = self._version(params, "caption", MAX_CAPTION, required=False)
            stored = self._document_param(params)
            return self._store_bot_message(chat, version, params, {"document": stored.document_json()})

    def _document_param(self, params: _Params) -> _StoredFile:
        reference = params.text("document") or ""
        upload = params.uploads.get(reference.removeprefix("attach://") if reference else "document")
        if upload is not None:
            mime = (
                upload.content_type or mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
            )
            return self._store_file(upload.filename, mime, upload.content)
        if reference in self._files:
            return self._files[reference]
        raise _bad("wrong file identifier/HTTP URL specified")

    async def _send_photo(self, params: _Params) -> dict[str, Any]:
        with self._lock:
            self._chat(params)  # "chat not found" comes first
        content = await self._photo_content(params)
        with self._lock:
            chat = self._chat(params)
            version = self._version(params, "caption", MAX_CAPTION, required=False)
            if isinstance(content, list):  # a photo sent before: the same sizes
                sizes = content
            else:
                sizes = [size.photo_size_json() for size in self._store_photo(content)]
            return self._store_bot_message(chat, version, params, {"photo": sizes})

    async def _photo_content(self, params: _Params) -> bytes | list[dict[str, Any]]:
        """The uploaded or fetched bytes of `photo`, or the sizes of the photo a `file_id` names."""
        reference = params.text("photo") or ""
        upload = params.uploads.get(reference.removeprefix("attach://") if reference else "photo")
        if upload is not None:
            return upload.content
        if not reference:
            raise _bad("there is no photo in the request")
        if reference.lower().startswith(("http://", "https://")):
            return await _fetch_photo(reference)
        with self._lock:
            sizes = self._photos.get(reference)
        if sizes is None:
            raise _bad("wrong file identifier/HTTP URL specified")
        return copy.deepcopy(sizes)

    def _store_photo(self, content: bytes) -> list[_StoredFile]:
        """The sizes of a new photo, each a file; call with the lock held."""
        try:
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
        except (UnidentifiedImageError, OSError, ValueError):
            raise _bad("IMAGE_PROCESS_FAILED") from None
        if width + height > 10000 or max(width, height) > 20 * min(width, height):
            raise _bad("PHOTO_INVALID_DIMENSIONS")
        longer = max(width, height)
        sides = [side for side in PHOTO_SIDES if side < longer] + [min(longer, PHOTO_SIDES[-1])]
        sizes = []
        for side in sides:
            scale = side / longer
            number = next(self._file_ids)
            stored = _StoredFile(
                file_id=f"AgACAgIAAxkDAAI{number:08d}",
                file_unique_id=f"AQAD{number:08d}",
                file_path=f"photos/file_{number}.jpg",
                file_name="",
                mime_type="image/jpeg",
                content=content,
                width=max(1, round(width * scale)),
                height=max(1, round(height * scale)),
            )
            self._files[stored.file_id] = stored
            sizes.append(stored)
        json_sizes = [size.photo_size_json() for size in sizes]
        for size in sizes:
            self._photos[size.file_id] = json_sizes
        return sizes

    def _edited_message(self, params: _Params) -> _StoredMessage:
        if params.values.get("inline_message_id"):
            raise _bad("the emulator does not implement inline messages")
        chat = self._chat(params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        stored = self._messages[chat.id].get(message_id)
        if stored is None or stored.deleted:
            raise _bad("message to edit not found")
        if not stored.from_bot:
            raise _bad("message can't be edited")
        return stored

    def _edit_message_text(self, params: _Params) -> dict[str, Any]:
        with self._lock:
            stored = self._edited_message(params)
            if "text" not in stored.json:
                raise _bad("there is no text in the message to edit")
            return self._apply_edit(stored, self._version(params, "text", MAX_TEXT, required=True))

    def _edit_message_reply_markup(self, params: _Params) -> dict[str, Any]:
        with self._lock:
            stored = self._edited_message(params)
            current = stored.versions[-1]
            markup = params.json("reply_markup", what="reply keyboard markup")
            markup = _check_reply_markup(markup) if markup is not None else None
            version = MessageVersion(current.text, current.html, current.parse_mode, current.entities, markup)
            return self._apply_edit(stored, version)

    def _apply_edit(self, stored: _StoredMessage, version: MessageVersion) -> dict[str, Any]:
        current = stored.versions[-1]
        same = (version.text, version.entities, _inline(version.reply_markup))
        if same == (current.text, current.entities, _inline(current.reply_markup)):
            raise _bad(_NOT_MODIFIED)
        kind = "caption" if {"document", "photo"} & stored.json.keys() else "text"
        for key in (kind, f"{kind}_entities" if kind == "caption" else "entities", "reply_markup"):
            stored.json.pop(key, None)
        stored.json |= _content_json(version, kind) | {"edit_date": int(time.time())}
        stored.versions.append(version)
        self._notify()
        return copy.deepcopy(stored.json)

    def _delete_message(self, params: _Params) -> bool:
        with self._lock:
            chat = self._chat(params)
            stored = self._messages[chat.id].get(params.integer("message_id") or 0)
            if stored is None or stored.deleted:
                raise _bad("message to delete not found")
            stored.deleted = True
            self._notify()
        return True

    def _send_chat_action(self, params: _Params) -> bool:
        with self._lock:
            chat = self._chat(params)
            action = params.text("action")
            if action not in _CHAT_ACTIONS:
                raise _bad("wrong parameter action in request")
            self._chat_actions.append(ChatAction(chat.id, action))
            self._notify()
        return True

    def _answer_callback_query(self, params: _Params) -> bool:
        query_id = params.text("callback_query_id") or ""
        with self._lock:
            query = self._callback_queries.get(query_id)
            if query is None or query["answered"]:
                raise _bad("query is too old and response timeout expired or query ID is invalid")
            query["answered"] = True
            answer = CallbackAnswer(
                query_id, params.text("text"), params.flag("show_alert"), params.text("url")
            )
            self._callback_answers.append(answer)
            self._notify()
        return True

    def _answer_inline_query(self, params: _Params) -> bool:
        """Checked in the order Telegram checks: the Bot API server parses the button and the results,
        tdlib checks their texts, then Telegram the query id, the titles, lengths and duplicate ids."""
        query_id = params.text("inline_query_id") or ""
        cache_time = min(max(params.integer("cache_time", 300) or 0, 0), 24 * 60 * 60)
        button = _inline_button(params)
        checked = [_inline_result(value) for value in _inline_results_param(params)]
        with self._lock:
            query = self._inline_queries.get(query_id)
            lifetime = self.inline_query_lifetime
            if query is None or (lifetime is not None and time.monotonic() - query.sent_at > lifetime):
                raise _bad("query is too old and response timeout expired or query ID is invalid")
            contents: dict[str, MessageVersion] = {}
            for result, version in checked:
                if not str(result["title"]).strip():
                    raise _bad("ARTICLE_TITLE_EMPTY")
                if len(version.text) > MAX_TEXT:
                    raise _bad("MESSAGE_TOO_LONG")
                if str(result["id"]) in contents:
                    raise _bad("RESULT_ID_DUPLICATE")
                contents[str(result["id"])] = version
            answer = InlineAnswer(
                query_id,
                tuple(copy.deepcopy(result) for result, _ in checked),
                cache_time,
                params.flag("is_personal"),
                params.text("next_offset") or "",
                button,
            )
            query.answers.append(answer)
            query.contents = contents
            self._notify()
        return True

    def _get_file(self, params: _Params) -> dict[str, Any]:
        with self._lock:
            stored = self._files.get(params.text("file_id") or "")
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD:
            raise _bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def _set_my_commands(self, params: _Params) -> bool:
        commands = params.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("can't parse commands JSON object")
        checked = []
        for command in commands:
            if not isinstance(command, dict):
                raise _bad("can't parse commands JSON object")
            name, description = command.get("command"), command.get("description")
            if not isinstance(name, str) or not _BOT_COMMAND_RE.fullmatch(name.lower()):
                raise _bad("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            checked.append({"command": name.lower(), "description": description.strip()})
        key = _commands_key(params.json("scope"), params.text("language_code") or "")
        with self._lock:
            self._commands[key] = checked
            self._notify()
        return True

    def _get_my_commands(self, params: _Params) -> list[dict[str, str]]:
        key = _commands_key(params.json("scope"), params.text("language_code") or "")
        with self._lock:
            return copy.deepcopy(self._commands.get(key, []))

    def _delete_my_commands(self, params: _Params) -> bool:
        key = _commands_key(params.json("scope"), params.text("language_code") or "")
        with self._lock:
            self._commands.pop(key, None)
            self._notify()
        return True


async def _fetch_photo(url: str) -> bytes:
    """A photo sent by URL, fetched as Telegram fetches it (an image type, at most 5 MB)."""
    try:
        async with (
            ClientSession(timeout=ClientTimeout(total=10)) as session,
            session.get(url) as response,
        ):
            if response.status != 200:
                raise _bad("failed to get HTTP URL content")
            if not response.content_type.startswith("image/"):
                raise _bad("wrong type of the web page content")
            content = await response.content.read(MAX_PHOTO_URL_BYTES + 1)
    except (ClientError, TimeoutError):
        raise _bad("failed to get HTTP URL content") from None
    if len(content) > MAX_PHOTO_URL_BYTES:
        raise _bad("failed to get HTTP URL content")
    return content


def _commands_key(scope: Any, language_code: str) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code


def _inline(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of a reply markup a message keeps: only inline keyboards are shown under messages."""
    return markup if markup is not None and "inline_keyboard" in markup else None


def _content_json(version: MessageVersion, kind: str) -> dict[str, Any]:
    content: dict[str, Any] = {}
    if version.text or kind == "text":
        content[kind] = version.text
    if version.entities:
        content["caption_entities" if kind == "caption" else "entities"] = list(version.entities)
    if (markup := _inline(version.reply_markup)) is not None:
        content["reply_markup"] = markup
    return copy.deepcopy(content)


_METHODS = {
    name.lower(): handler
    for name, handler in {
        "getMe": "_get_me",
        "getChat": "_get_chat",
        "setWebhook": "_set_webhook",
        "deleteWebhook": "_delete_webhook",
        "getWebhookInfo": "_get_webhook_info",
        "getUpdates": "_get_updates",
        "sendMessage": "_send_message",
        "sendDocument": "_send_document",
        "sendPhoto": "_send_photo",
        "editMessageText": "_edit_message_text",
        "editMessageReplyMarkup": "_edit_message_reply_markup",
        "deleteMessage": "_delete_message",
        "sendChatAction": "_send_chat_action",
        "answerCallbackQuery": "_answer_callback_query",
        "answerInlineQuery": "_answer_inline_query",
        "getFile": "_get_file",
        "setMyCommands": "_set_my_commands",
        "getMyCommands": "_get_my_commands",
        "deleteMyCommands": "_delete_my_commands",
    }.items()
}  # Bot API method names are case-insensitive
