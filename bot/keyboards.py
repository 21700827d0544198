"""Inline buttons and their callback data (``kind:key[:arg]``, far under Telegram's 64 bytes).

s:<key>       show the quoted passages of answer <key>
f:<key>:u|d   👍 / 👎 on answer <key>
p:<key>:<n>   show page <n> of search <key>
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.render import labels
from retrieval.records import Answer

SOURCES, FEEDBACK, PAGE = "s", "f", "p"
UP, DOWN = "u", "d"
SOURCES_PATTERN = r"^s:[\w-]+$"
FEEDBACK_PATTERN = r"^f:[\w-]+:[ud]$"
PAGE_PATTERN = r"^p:[\w-]+:\d+$"


def answer_keyboard(key: str, answer: Answer, vote: str | None = None) -> InlineKeyboardMarkup:
    """📄 (when the answer cites something), 👍 and 👎; the vote already given is ticked."""
    row = []
    if answer.citations:
        label = f"📄 {labels(answer.question)['button']}"
        row.append(InlineKeyboardButton(label, callback_data=f"{SOURCES}:{key}"))
    row.append(InlineKeyboardButton("👍 ✓" if vote == UP else "👍", callback_data=f"{FEEDBACK}:{key}:{UP}"))
    row.append(
        InlineKeyboardButton("👎 ✓" if vote == DOWN else "👎", callback_data=f"{FEEDBACK}:{key}:{DOWN}")
    )
    return InlineKeyboardMarkup([row])


def page_keyboard(key: str, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """« and » around the page shown; None when everything fits on one page."""
    if pages <= 1:
        return None
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(f"« {page}/{pages}", callback_data=f"{PAGE}:{key}:{page - 1}"))
    if page < pages - 1:
        row.append(InlineKeyboardButton(f"{page + 2}/{pages} »", callback_data=f"{PAGE}:{key}:{page + 1}"))
    return InlineKeyboardMarkup([row])


def parse_callback(data: str | None) -> list[str]:
    return (data or "").split(":")


@contextlib.contextmanager
def unless_unchanged() -> Iterator[None]:
    """Ignore Telegram's refusal to edit a message into what it already is (a button pressed twice)."""
    try:
        yield
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
