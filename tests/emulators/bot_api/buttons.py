"""Inline keyboards and callback queries: reply markup checked as the API checks it, a user pressing a
button, and `answerCallbackQuery`."""

from __future__ import annotations

import copy
from typing import Any

from .protocol import Params, bad
from .records import CallbackAnswer, Chat, User
from .state import EmulatorState

_BUTTON_ACTIONS = frozenset(
    {
        "url", "callback_data", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    }
)  # fmt: skip


def check_reply_markup(markup: Any) -> dict[str, Any]:
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if not {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
            raise bad("can't parse reply keyboard markup JSON object")
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad(
            'can\'t parse inline keyboard button: Field "inline_keyboard" of the InlineKeyboardMarkup '
            "should be an Array of Arrays"
        )
    for button in (button for row in rows for button in row):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
        if not _BUTTON_ACTIONS & button.keys():
            raise bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= 64:
            raise bad("BUTTON_DATA_INVALID")
    return markup


class Buttons(EmulatorState):
    """A user pressing inline buttons; the bot's answers to it."""

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

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        with self._lock:
            return list(self._callback_answers)

    # -- Bot API methods

    def _answer_callback_query(self, params: Params) -> bool:
        query_id = params.text("callback_query_id") or ""
        with self._lock:
            query = self._callback_queries.get(query_id)
            if query is None or query["answered"]:
                raise bad("query is too old and response timeout expired or query ID is invalid")
            query["answered"] = True
            answer = CallbackAnswer(
                query_id, params.text("text"), params.flag("show_alert"), params.text("url")
            )
            self._callback_answers.append(answer)
            self._notify()
        return True
