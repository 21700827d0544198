"""Alerts exactly once when rounds fail halfway, and through the bot each follow was made with.

The bot runs as ``newsbot serve`` runs it, against the Bot API emulator, and its own alert job is run by
the test (as in ``test_e2e_follows``). The store's failures are injected at the one call they hit (the
cursor's write, a claim whose answer is lost after it landed), as a killed or wedged Chroma server makes
them fail in the soak (``docs/soak.md``, faults 1 and 4).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.wiring import open_store
from retrieval.embeddings import E5Embeddings
from retrieval.errors import StoreUnavailable
from retrieval.follows.store import FollowStore
from retrieval.records import SearchFilters
from tests.bot.conftest import running_bot
from tests.bot.telegram.test_e2e_follows import (
    BASE,
    FOLLOW,
    ICE,
    PUPS,
    SEALS,
    alert_round,
    ingest,
    say,
    settings_for,
)
from tests.emulators.bot_api import BotApiEmulator, SentMessage

OTHER_TOKEN = "515151:TEST-other_newsbot_token"
LOST = "the Chroma server cannot be reached: Server disconnected without sending a response."


def alerts(messages: list[SentMessage]) -> list[SentMessage]:
    return [m for m in messages if m.text.startswith("🔔 New on")]


def fail_once(monkeypatch: pytest.MonkeyPatch, name: str, *, after: bool) -> list[str]:
    """``FollowStore.<name>`` raises StoreUnavailable once: before doing anything, or ``after`` it did
    its work (the answer lost on the way back). The list says when it has."""
    real: Callable[..., Any] = getattr(FollowStore, name)
    failed: list[str] = []

    def flaky(self: FollowStore, *args: Any, **kwargs: Any) -> Any:
        if failed:
            return real(self, *args, **kwargs)
        failed.append(name)
        if after:
            real(self, *args, **kwargs)
        raise StoreUnavailable(LOST)

    monkeypatch.setattr(FollowStore, name, flaky)
    return failed


async def test_a_round_that_sent_its_alerts_but_could_not_move_its_cursor_sends_none_again(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = emu.user(111, "Alice", "alice")
    chat = emu.private_chat(alice)
    settings = settings_for(emu, tmp_path / "data")
    ingest(settings, e5, *BASE)
    async with running_bot(settings, e5) as app:
        await say(emu, chat, alice, FOLLOW)
        failed = fail_once(monkeypatch, "set_cursor", after=False)
        await asyncio.to_thread(ingest, settings, e5, SEALS)
        await alert_round(app)  # sends, then the store refuses the cursor
        assert failed == ["set_cursor"]
        await alert_round(app)  # matches the same article again: claimed already, not sent
        await alert_round(app)
        [alert] = alerts(emu.messages(chat))
        assert "На Байкале пересчитали нерп" in alert.text
        # the cursor moved in the second round: what comes next is sent, once
        await asyncio.to_thread(ingest, settings, e5, PUPS)
        await alert_round(app)
        await alert_round(app)
    [_, then] = alerts(emu.messages(chat))
    assert "У байкальских нерп появились детёныши" in then.text and "пересчитали" not in then.text


async def test_a_claim_that_landed_but_whose_answer_was_lost_is_sent_by_the_next_round(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim reached the store but the server died before answering (or a wedged server applied it
    at its restart): the round failed before sending. The pair is claimed, by that round: the next round
    must send it, not take it for another's."""
    bob = emu.user(222, "Bob", "bob")
    chat = emu.private_chat(bob)
    settings = settings_for(emu, tmp_path / "data")
    ingest(settings, e5, *BASE)
    async with running_bot(settings, e5) as app:
        await say(emu, chat, bob, FOLLOW)
        failed = fail_once(monkeypatch, "claim", after=True)
        await asyncio.to_thread(ingest, settings, e5, SEALS)
        await alert_round(app)
        assert failed == ["claim"] and alerts(emu.messages(chat)) == []
        await alert_round(app)
        await alert_round(app)
    [alert] = alerts(emu.messages(chat))
    assert "На Байкале пересчитали нерп" in alert.text


async def test_each_bot_sends_the_alerts_of_the_follows_made_through_it(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    """Two bots (a token each, as replicas are run) on one store. A chat that has one bot alone is
    alerted through it, a group that has both through the one its follow was made with, once; a follow
    made before follows kept their bot is alerted once, through either."""
    data = tmp_path / "data"
    with BotApiEmulator(token=OTHER_TOKEN, bot_username="other_newsbot_bot") as other:
        carol, dan = emu.user(333, "Carol", "carol"), other.user(444, "Dan", "dan")
        only_first = emu.private_chat(carol)  # Carol has started the first bot only
        only_second = other.group_chat(-900, "Dan's desk")  # the second bot alone is a member
        both = [emu.group_chat(-901, "Newsroom"), other.group_chat(-901, "Newsroom")]
        older = [emu.group_chat(-902, "Archive"), other.group_chat(-902, "Archive")]
        first_settings, second_settings = settings_for(emu, data), settings_for(other, data)
        ingest(first_settings, e5, *BASE)
        made = FollowStore(open_store(first_settings)).add(  # as an older version stored it
            -902, "нерпы на Байкале", SearchFilters(), "en", time.time(), user_id=444, per_chat=5, per_user=5
        )
        assert isinstance(made, tuple) and made[0].bot_id is None
        async with running_bot(first_settings, e5) as first, running_bot(second_settings, e5) as second:
            await say(emu, only_first, carol, FOLLOW)
            await say(other, only_second, dan, FOLLOW)
            await say(other, both[1], dan, FOLLOW)
            following = await say(emu, both[0], carol, FOLLOW)  # the same follow, through the other bot
            assert following.text.startswith("You follow «нерпы на Байкале» already")
            await asyncio.to_thread(ingest, first_settings, e5, ICE)
            await asyncio.gather(alert_round(first), alert_round(second))
            await asyncio.gather(alert_round(second), alert_round(first))
        refused = [r for r in emu.requests + other.requests if r.method == "sendMessage" and r.error_code]
    assert refused == []  # neither bot tried a chat it is not in
    for chat, bot in [(only_first, emu), (only_second, other), (both[1], other)]:
        [alert] = alerts(bot.messages(chat))
        assert "Поздний лёд тревожит учёных" in alert.text
    assert alerts(emu.messages(both[0])) == []
    assert len(alerts(emu.messages(older[0])) + alerts(other.messages(older[1]))) == 1
