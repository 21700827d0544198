"""Inline mode: a user's inline query, the bot's `answerInlineQuery` (article results with text content,
checked in Telegram's order) and the user choosing a result, which posts its message via the bot."""

from __future__ import annotations

import copy
import json
import re
import time
from typing import Any

from .buttons import check_reply_markup
from .formatting import EntityParseError, finish_entities, parse_html
from .limits import MAX_INLINE_QUERY, MAX_INLINE_RESULTS, MAX_TEXT
from .messages import Messages
from .observing import Observing
from .protocol import Params, bad, explicit_entities
from .records import Chat, InlineAnswer, MessageVersion, User
from .state import InlineQuery, inline_markup

_INLINE_CHAT_TYPES = frozenset({"sender", "private", "group", "supergroup", "channel"})


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


def _inline_results_param(params: Params) -> list[Any]:
    """The `results` of answerInlineQuery as a list, checked as the Bot API server checks it."""
    raw = params.values.get("results")
    if raw is None or raw == "":
        return []
    values = raw
    if isinstance(raw, str):
        try:
            values = json.loads(raw)
        except ValueError as error:
            raise bad(f"can't parse JSON encoded inline query results: {error}") from None
    if values is None:
        return []
    if not isinstance(values, list):
        raise bad("expected an Array of inline query results")
    if len(values) > MAX_INLINE_RESULTS:
        raise bad("too many inline query results specified")
    return values


def _inline_result(value: Any) -> tuple[dict[str, Any], MessageVersion]:
    """One inline query result (an article with text content) and the message choosing it posts."""
    try:
        if not isinstance(value, dict):
            raise _FieldError("Inline query result must be an object")
        kind = _string_field(value, "type", required=True).lower()
        _string_field(value, "id", required=True)
        if kind != "article":
            raise bad(f"the emulator implements article results only, not {kind!r}")
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
        raise bad(f"can't parse inline query result: {error}") from None
    markup = value.get("reply_markup")
    if markup is not None:
        version = MessageVersion(
            version.text, version.html, version.parse_mode, version.entities, check_reply_markup(markup)
        )
    return value, version


def _inline_message(content: dict[str, Any]) -> MessageVersion:
    text = _string_field(content, "message_text", required=False)
    if not text:
        if {"latitude", "phone_number", "payload"} & content.keys():
            raise bad("the emulator implements text message content only")
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
        shown, entities = finish_entities(text, explicit_entities(Params(content, {}), "entities"))
    elif parse_mode in ("markdown", "markdownv2"):
        raise bad(f"unsupported parse_mode {parse_mode!r}: the emulator implements HTML only")
    else:
        raise _FieldError("Unsupported parse_mode")
    if not shown:
        raise bad("text must be non-empty")  # tdlib's check, after the entities are parsed
    return MessageVersion(shown, text, parse_mode or None, entities, None)


def _inline_button(params: Params) -> dict[str, Any] | None:
    """The `button` shown above the results (start the bot with a parameter, or open a Web App)."""
    raw = params.values.get("button")
    if raw is None or raw == "":
        return None
    button = raw
    if isinstance(raw, str):
        try:
            button = json.loads(raw)
        except ValueError:
            raise bad("can't parse inline query results button JSON object") from None
    prefix = "can't parse inline query results button: "
    if not isinstance(button, dict):
        raise bad(prefix + "InlineQueryResultsButton must be an Object")
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
        raise bad(prefix + str(error)) from None
    if not parameter:
        raise bad("can't use empty start_parameter")
    if len(parameter) > 64:
        raise bad("too long start_parameter specified")
    if not re.fullmatch(r"[A-Za-z0-9_-]+", parameter):
        raise bad("unallowed characters in start_parameter are used")
    return button


class Inline(Messages, Observing):
    """A user's inline queries and choices; the bot's answers to them."""

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
            self._inline_queries[query_id] = InlineQuery(payload, time.monotonic())
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
            if (markup := inline_markup(version.reply_markup)) is not None:
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

    @property
    def inline_answers(self) -> list[InlineAnswer]:
        """Every answer to an inline query, in the order the queries were typed."""
        with self._lock:
            return [answer for query in self._inline_queries.values() for answer in query.answers]

    # -- Bot API methods

    def _answer_inline_query(self, params: Params) -> bool:
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
                raise bad("query is too old and response timeout expired or query ID is invalid")
            contents: dict[str, MessageVersion] = {}
            for result, version in checked:
                if not str(result["title"]).strip():
                    raise bad("ARTICLE_TITLE_EMPTY")
                if len(version.text) > MAX_TEXT:
                    raise bad("MESSAGE_TOO_LONG")
                if str(result["id"]) in contents:
                    raise bad("RESULT_ID_DUPLICATE")
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
