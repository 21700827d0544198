"""``newsbot serve`` itself: a separate process, configured by the environment, stopped with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bot.conftest import TOKEN
from tests.bot.telegram.test_e2e_command_menu import USER_MENU
from tests.emulators.bot_api import BotApiEmulator
from tests.support.chroma_server import TokenGate


def test_newsbot_serve_answers_and_stops_on_ctrl_c(
    emu: BotApiEmulator, sample_data_dir: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": emu.base_url,
        "NEWSBOT_DATA_DIR": str(sample_data_dir),
    }
    log = tmp_path / "serve.log"
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    with log.open("wb") as err:
        bot = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "-vv", "serve"], cwd=tmp_path, env=env, stderr=err
        )
        try:
            emu.send_text(chat, alice, "какая ставка ЦБ?")
            [answer] = emu.wait_for_messages(chat, 1, timeout=120)
        finally:
            bot.send_signal(signal.SIGINT)
            bot.wait(timeout=60)
    logged = log.read_text(encoding="utf-8", errors="replace")
    assert bot.returncode == 0, logged[-3000:]
    assert "16,5%" in answer.text and "[1]" in answer.text
    assert "serving by long polling" in logged and "/bot<redacted>" in logged
    assert TOKEN.split(":")[1].lower() not in logged.lower()
    assert [c["command"] for c in emu.commands()] == USER_MENU


@pytest.mark.server
def test_newsbot_serve_refused_by_the_chroma_server_exits_2_naming_the_setting(
    emu: BotApiEmulator, chroma_server: str, tmp_path: Path
) -> None:
    """A wrong token is a configuration error at start (exit 2, one line), not a bot that runs and tells
    every user "something went wrong"."""
    wrong = "nb-wrong-token-0000"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": emu.base_url,
        "NEWSBOT_DATA_DIR": str(tmp_path / "data"),
        "NEWSBOT_CHROMA_TOKEN": wrong,
    }
    with TokenGate(chroma_server, "nb-right-token-4242") as gate:
        env["NEWSBOT_CHROMA_URL"] = gate.url
        try:
            ran = subprocess.run(
                [sys.executable, "-m", "bot.cli", "serve"],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"newsbot serve kept running with a token the store refuses: {exc.stderr!r}")
    assert ran.returncode == 2, ran.stderr[-3000:]
    errors = [line for line in ran.stderr.splitlines() if line.startswith("newsbot: error:")]
    assert errors == [
        f"newsbot: error: the Chroma server at {gate.url} refused newsbot (Forbidden); check "
        "NEWSBOT_CHROMA_TOKEN"
    ]
    assert wrong not in ran.stderr and wrong not in ran.stdout
