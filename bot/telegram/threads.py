"""Which conversation a question continues, kept in the chat's persisted data (PTB's ``chat_data``).

A reply to one of the bot's answers continues the thread of that answer (in private chats and groups);
in a private chat, a question within ``NEWSBOT_FOLLOWUP_MINUTES`` of the last answer continues the last
thread too. ``/new`` (or a question after the window) starts afresh. Threads are kept per user in a
group (two people asking in one group do not share a thread), bounded: the latest :data:`ANSWERS_KEPT`
answers of a chat can be replied to, each thread holds its latest turns (:mod:`retrieval.answer.thread`),
and threads older than :data:`KEPT_HOURS` are forgotten.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from retrieval.answer.thread import Thread

KEY = "threads"
"""Where a chat's :class:`ChatThreads` lives in its ``chat_data``."""
ANSWERS_KEPT = 200
KEPT_HOURS = 24.0


@dataclass
class Said:
    """An answer the bot sent: who asked, when, and the thread it ends."""

    user_id: int
    at: float
    thread: Thread


@dataclass
class ChatThreads:
    answers: dict[int, Said] = field(default_factory=dict)
    """Message id of each part of an answer -> what it ended (insertion order: oldest first)."""
    latest: dict[int, Said] = field(default_factory=dict)
    """User id -> their latest answer in this chat."""

    def continued(
        self, user_id: int, replied_to: int | None, now: float, window_minutes: float | None
    ) -> Thread | None:
        """The thread a question continues: the replied-to answer's (whoever asked it), else — when
        ``window_minutes`` is given (private chats) — the user's last one if it is recent enough."""
        said = self.answers.get(replied_to) if replied_to is not None else None
        if said is not None and now - said.at <= KEPT_HOURS * 3600:
            return said.thread
        last = self.latest.get(user_id)
        if window_minutes is not None and last is not None and now - last.at <= window_minutes * 60:
            return last.thread
        return None

    def remember(self, user_id: int, message_ids: Iterable[int], now: float, thread: Thread) -> None:
        """``thread`` ends the answer sent as ``message_ids`` to ``user_id`` (older threads are dropped)."""
        self._forget_older_than(now - KEPT_HOURS * 3600)
        said = Said(user_id, now, thread)
        for message_id in message_ids:
            self.answers[message_id] = said
        while len(self.answers) > ANSWERS_KEPT:
            del self.answers[next(iter(self.answers))]
        self.latest[user_id] = said

    def start_afresh(self, user_id: int) -> None:
        """``/new``: the user's next question starts a thread of its own (replies still continue the
        answer they reply to)."""
        self.latest.pop(user_id, None)

    def _forget_older_than(self, cutoff: float) -> None:
        for key in [k for k, said in self.answers.items() if said.at < cutoff]:
            del self.answers[key]
        for key in [k for k, said in self.latest.items() if said.at < cutoff]:
            del self.latest[key]


def threads_of(chat_data: MutableMapping[Any, Any] | None) -> ChatThreads:
    """The chat's threads (created on first use; without chat data, a throwaway set)."""
    if chat_data is None:
        return ChatThreads()
    threads = chat_data.get(KEY)
    if not isinstance(threads, ChatThreads):
        threads = chat_data[KEY] = ChatThreads()
    return threads
