"""What the buttons under a message refer to, kept server-side: callback data holds only a short key.

Telegram allows 64 bytes of callback data; an answer with its passages, or a search's pages, do not fit.
They live in a bounded LRU, keyed by 8 random URL-safe characters; the oldest are forgotten first (a
button pressed after that, or after a restart, says the answer has expired).
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from bot.render import SearchPages
from retrieval.records import Answer

T = TypeVar("T")

CAPACITY = 2000


class Recent(Generic[T]):
    """A bounded key -> value map that forgets the least recently used entries."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, T] = OrderedDict()

    def add(self, value: T) -> str:
        key = secrets.token_urlsafe(6)
        while key in self._items:
            key = secrets.token_urlsafe(6)
        self._items[key] = value
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return key

    def get(self, key: str) -> T | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def __len__(self) -> int:
        return len(self._items)


@dataclass(slots=True)
class ConversationState:
    """The answers and searches whose buttons may still be pressed."""

    answers: Recent[Answer]
    searches: Recent[SearchPages]

    def add_answer(self, answer: Answer) -> str:
        """Keep what the buttons need: the citations and the passages they quote, not every passage."""
        cited = {c.article_id for c in answer.citations}
        return self.answers.add(
            replace(answer, passages=tuple(p for p in answer.passages if p.article_id in cited))
        )

    @classmethod
    def empty(cls, capacity: int = CAPACITY) -> ConversationState:
        return cls(Recent(capacity), Recent(capacity))
