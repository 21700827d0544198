"""The token is redacted from every log record, whatever logger, arguments or traceback carry it."""

from __future__ import annotations

import logging

import pytest

from bot.logsafe import redact, redact_in_logs
from bot.telegram.app import file_base_url
from retrieval.errors import ConfigError

TOKEN = "987654:Secret-Token_ABCdef"


def test_messages_arguments_and_tracebacks_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    redact_in_logs(TOKEN)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # `newsbot` quietens httpx; this test wants it
    logging.getLogger("httpx").info("HTTP Request: POST %s", f"https://api.telegram.org/bot{TOKEN}/getMe")
    try:
        raise RuntimeError(f"failed calling /bot{TOKEN.lower()}/sendMessage")
    except RuntimeError:
        logging.getLogger("telegram.ext.Application").exception("error in %s", "handler")
    logging.getLogger("x").warning("secret half alone: %s", TOKEN.split(":")[1].upper())
    assert "https://api.telegram.org/bot<redacted>/getMe" in caplog.text
    assert "failed calling /bot<redacted>/sendMessage" in caplog.text
    assert "secret half alone: <redacted>" in caplog.text
    assert "secret-token_abcdef" not in caplog.text.lower()
    assert redact(f"x{TOKEN}y") == "x<redacted>y"


def test_file_urls_follow_the_api_base() -> None:
    assert file_base_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_base_url("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/file/bot"
    with pytest.raises(ConfigError, match="must end in /bot"):
        file_base_url("https://api.telegram.org/")
