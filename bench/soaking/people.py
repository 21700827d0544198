"""The simulated Telegram users: askers (a group each, ``/ask`` and now and then 👍), followers, an admin.

An asker asks, waits for the bot's reply to that very message (a reply in a group quotes the question,
so nothing else in the chat is taken for it), sometimes presses 👍 under the answer, thinks a few seconds
and asks again, until the load ends. Every question is kept as an :class:`Asked`: when it was sent, when
its first reply came and what kind of reply it was (an answer, "the archive is unavailable", "something
went wrong", "you are asking too fast", or none within :data:`REPLY_TIMEOUT`).
"""

from __future__ import annotations

import asyncio
import html
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.present.phrases import say
from tests.emulators.bot_api import BotApiEmulator, Chat, SentMessage, User

REPLY_TIMEOUT = 120.0
"""Seconds an asker waits for a reply before counting the question unanswered (and asking the next)."""
THINK = (3.0, 8.0)
VOTE_SHARE = 0.2
REPLIES = {
    "store_down": say("store_down", "en"),
    "sorry": say("sorry", "en"),
}
_RATE = say("rate_limited", "en", seconds=0).split("Please")[0]
ALERT_HEAD = "🔔 New on «"


@dataclass(slots=True)
class Asked:
    replica: int
    question: str
    sent: float
    replied: float | None = None
    outcome: str = "no reply"

    @property
    def latency(self) -> float | None:
        return None if self.replied is None else self.replied - self.sent


def classify(text: str) -> str:
    for kind, phrase in REPLIES.items():
        if text == phrase:
            return kind
    return "rate limited" if text.startswith(_RATE) else "answer"


def reply_to(emu: BotApiEmulator, chat: Chat, message_id: int) -> SentMessage | None:
    return next((m for m in emu.messages(chat) if m.reply_to_message_id == message_id), None)


@dataclass
class Asker:
    replica: int
    emu: BotApiEmulator
    user: User
    group: Chat
    questions: tuple[str, ...]
    rng: random.Random
    asked: list[Asked] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)

    async def run(self, now: Callable[[], float], until: float) -> None:
        await asyncio.sleep(self.rng.uniform(0, THINK[1]))  # the askers do not start in step
        while now() < until:
            await self.ask(self.rng.choice(self.questions), now)
            await asyncio.sleep(self.rng.uniform(*THINK))

    async def ask(self, question: str, now: Callable[[], float]) -> None:
        sent = self.emu.send_text(self.group, self.user, f"/ask {question}")
        record = Asked(self.replica, question, now())
        self.asked.append(record)
        try:
            reply = await self.emu.wait_for_async(
                lambda: reply_to(self.emu, self.group, sent["message_id"]), timeout=REPLY_TIMEOUT
            )
        except AssertionError:
            return
        record.replied, record.outcome = now(), classify(reply.text)
        if record.outcome == "answer" and self.rng.random() < VOTE_SHARE:
            await self.vote()

    async def vote(self) -> None:
        """👍 under the latest answer (its buttons are under its last part)."""
        try:
            answer = await self.emu.wait_for_async(self._last_with_buttons, timeout=30)
        except AssertionError:
            self.votes["no buttons"] += 1
            return
        [data] = [b["callback_data"] for b in answer.buttons if "👍" in b["text"]] or [None]
        if data is None:
            self.votes["no 👍 button"] += 1
            return
        query = self.emu.press_button(self.group, self.user, answer.message_id, data)
        try:
            [shown] = await self.emu.wait_for_async(
                lambda: [a for a in self.emu.callback_answers if a.callback_query_id == query] or None,
                timeout=30,
            )
        except AssertionError:
            self.votes["not answered"] += 1
            return
        self.votes[shown.text or "(empty)"] += 1

    def _last_with_buttons(self) -> SentMessage | None:
        messages = self.emu.messages(self.group)
        return messages[-1] if messages and messages[-1].buttons else None


@dataclass
class Follower:
    """A group that follows topics through one replica's bot; ``bots`` are the replicas in the group
    (alerts are due through the bot followed through; the report counts any shown through another)."""

    name: str
    replica: int
    bots: tuple[int, ...]
    topics: tuple[str, ...]
    user: User
    group: Chat
    confirmed: list[str] = field(default_factory=list)


async def follow(emu: BotApiEmulator, follower: Follower, words: str) -> str:
    sent = emu.send_text(follower.group, follower.user, f"/follow {words}")
    reply = await emu.wait_for_async(lambda: reply_to(emu, follower.group, sent["message_id"]), timeout=120)
    follower.confirmed.append(reply.text)
    return reply.text


_HREF = re.compile(r'href="([^"]+)"')


def alerted_links(messages: list[SentMessage]) -> list[str]:
    """The article links of every alert among a follower group's ``messages``, once per time shown: an
    alert is what the bot sent on its own (a reply to /follow quotes the command; a long alert's later
    parts do not start with :data:`ALERT_HEAD`)."""
    return [
        html.unescape(url) for m in messages if m.reply_to_message_id is None for url in _HREF.findall(m.html)
    ]
