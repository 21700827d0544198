"""What the test reads of the bot's doings, and waiting for them: the bot's messages as they stand, the
requests it made, the emulator's own errors; blocking and async waiters that report recent activity when
they time out."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

from .records import ApiRequest, Chat, SentMessage
from .state import EmulatorState

T = TypeVar("T")


class Observing(EmulatorState):
    """What the bot did, as the test reads it, and waiting for it."""

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
    def requests(self) -> list[ApiRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def server_errors(self) -> list[str]:
        with self._lock:
            return list(self._server_errors)

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
