"""The emulator's flood control and command menus, as Telegram answers them on the wire."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from .bot_api import BotApiEmulator

TOKEN = "123456:TEST-token_x"


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN) as emulator:
        yield emulator


def call(emu: BotApiEmulator, method: str, **params: object) -> httpx.Response:
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return httpx.post(f"{emu.base_url}{TOKEN}/{method}", data=data)


def test_a_flood_answers_429_with_retry_after_and_sends_nothing(emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice", "alice")
    chat = emu.private_chat(alice)
    emu.flood(2, retry_after=1)
    refused = [call(emu, "sendMessage", chat_id=chat.id, text=f"try {i}") for i in range(2)]
    sent = call(emu, "sendMessage", chat_id=chat.id, text="try 2")
    for reply in refused:
        assert reply.status_code == 429
        assert reply.json() == {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 1",
            "parameters": {"retry_after": 1},
        }
    assert sent.status_code == 200 and sent.json()["ok"] is True
    assert [m.text for m in emu.messages(chat)] == ["try 2"]


def test_commands_are_kept_per_scope_and_language(emu: BotApiEmulator) -> None:
    scope = {"type": "chat", "chat_id": 7}
    assert call(emu, "setMyCommands", commands=[{"command": "ask", "description": "Ask"}]).json() == {
        "ok": True,
        "result": True,
    }
    call(emu, "setMyCommands", commands=[{"command": "ask", "description": "Спросить"}], language_code="ru")
    call(emu, "setMyCommands", commands=[{"command": "cancel", "description": "Stop"}], scope=scope)
    assert call(emu, "getMyCommands", language_code="ru").json()["result"] == [
        {"command": "ask", "description": "Спросить"}
    ]
    assert call(emu, "getMyCommands").json()["result"] == [{"command": "ask", "description": "Ask"}]
    assert emu.commands(scope) == [{"command": "cancel", "description": "Stop"}]
    assert emu.commands(language_code="de") == []


@pytest.mark.parametrize(
    ("command", "description", "error"),
    [
        ("not a command", "x", "BOT_COMMAND_INVALID"),
        ("a" * 33, "x", "BOT_COMMAND_INVALID"),
        ("", "x", "BOT_COMMAND_INVALID"),
        ("ask-me", "x", "BOT_COMMAND_INVALID"),
        ("ask", "", "BOT_COMMAND_DESCRIPTION_INVALID"),
        ("ask", "x" * 257, "BOT_COMMAND_DESCRIPTION_INVALID"),
    ],
)
def test_invalid_commands_are_refused_like_telegram(
    emu: BotApiEmulator, command: str, description: str, error: str
) -> None:
    reply = call(emu, "setMyCommands", commands=[{"command": command, "description": description}])
    assert reply.status_code == 400
    assert reply.json() == {"ok": False, "error_code": 400, "description": f"Bad Request: {error}"}
    assert emu.commands() == []
