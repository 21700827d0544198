"""An LLM endpoint that refuses newsbot, as its operator meets it: ``newsbot ask`` still answers from the
archive, and the log says in one line which endpoint refused the key, with no web page in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.emulators.openai_api import OpenAIEmulator
from tests.support.cli import run

WHO = "Кто представит США на переговорах в Париже?"


def test_a_gateways_html_401_is_one_clear_line_and_the_archive_answers(
    sample_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with OpenAIEmulator(api_key="test-key", model="emu-model") as llm:
        llm.gateway_error_next(401)
        endpoint = llm.base_url
        monkeypatch.setenv("NEWSBOT_DATA_DIR", str(sample_data_dir))
        monkeypatch.setenv("NEWSBOT_LLM_BASE_URL", llm.base_url)
        monkeypatch.setenv("NEWSBOT_LLM_MODEL", "emu-model")
        monkeypatch.setenv("NEWSBOT_LLM_API_KEY", "test-key")
        code, out, err = run(["ask", WHO], capsys)
    assert code == 0, err
    assert "Кушнер" in out and "(the language model did not answer; this answer quotes the archive)" in out
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged == (
        f"LLM endpoint failed, answering offline: the LLM endpoint {endpoint} refused the API key "
        "(HTTP 401): check NEWSBOT_LLM_API_KEY"
    )
    assert "<" not in logged + err and "nginx" not in logged + out + err and "test-key" not in logged
