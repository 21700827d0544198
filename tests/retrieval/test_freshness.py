"""What one process ingests, a serving process that was already running finds on its next question.

A ``chroma run`` server holds the archive; the serving process (``tests.support.serving_child``: the
answerer built once, questions read from stdin) is started before the ingestion and never restarted;
``newsbot ingest`` runs in processes of its own, as an operator would run it.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.server

BASE = [
    {
        "id": "rate",
        "title": "Ставка ЦБ сохранена",
        "date": "2025-12-19",
        "source": "Экономика-Пример",
        "text": "Банк России сохранил ключевую ставку на уровне 16,5% годовых. Регулятор допустил её "
        "снижение в начале следующего года, если инфляция продолжит замедляться.",
    },
    {
        "id": "frost",
        "title": "Морозы в Москве",
        "date": "2026-01-08",
        "source": "Лента-Пример",
        "text": "В Москве ударили морозы до минус двадцати пяти градусов. Синоптики ждут потепления к "
        "выходным, а коммунальные службы перешли на усиленный режим работы.",
    },
    {
        "id": "hockey",
        "title": "«Авангард» обыграл «Трактор»",
        "date": "2026-01-09",
        "source": "Спорт-Пример",
        "text": "Хоккеисты омского «Авангарда» обыграли челябинский «Трактор» со счётом 4:1. Две шайбы "
        "забросил капитан команды.",
    },
]
NEW = {
    "id": "seals",
    "title": "На Байкале пересчитали нерп",
    "date": "2026-01-12",
    "source": "Лента-Пример",
    "text": "Учёные Лимнологического института пересчитали байкальских нерп с помощью беспилотников: "
    "популяция выросла до ста тридцати тысяч животных. Это максимум за двадцать лет наблюдений.",
}
NEW_QUESTION = "Сколько нерп живёт на Байкале?"
OLD_QUESTION = "Какая ключевая ставка ЦБ?"
DEADLINE = 180.0  # loading the model in a busy machine's child process


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


class ServingProcess:
    """The serving child: one question in, one JSON line out."""

    def __init__(self, env: dict[str, str], cwd: Path, log: Path) -> None:
        self._err = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.serving_child", "5"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
            cwd=cwd,
            env=env,
            text=True,
            encoding="utf-8",
        )
        self.log = log
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def line(self) -> str:
        try:
            line = self._lines.get(timeout=DEADLINE)
        except queue.Empty:
            line = None
        if line is None:
            raise AssertionError(f"the serving process said nothing: {self.log.read_text()[-3000:]}")
        return line

    def ask(self, question: str) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.poll() is None
        self.proc.stdin.write(question + "\n")
        self.proc.stdin.flush()
        reply: dict[str, Any] = json.loads(self.line())
        return reply

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._err.close()


@pytest.fixture
def env(chroma_server: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSBOT_CHROMA_URL": chroma_server,
        "NEWSBOT_COLLECTION": f"fresh-{tmp_path.name[-24:]}".replace("_", "-"),
        "NEWSBOT_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(REPO),
    }


@pytest.fixture
def serving(env: dict[str, str], tmp_path: Path) -> Iterator[ServingProcess]:
    child = ServingProcess(env, tmp_path, tmp_path / "serving.log")
    try:
        assert child.line() == "ready"
        yield child
    finally:
        child.stop()


def ingest(env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ingest", "--no-progress", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def articles_in(reply: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The articles of the search's passages, and those the answer cites."""
    return [p["article_id"] for p in reply["search"]], [c["article_id"] for c in reply["citations"]]


@pytest.fixture
def archive(env: dict[str, str], tmp_path: Path) -> Path:
    """The archive folder, ingested once before the serving process starts."""
    root = tmp_path / "archive"
    root.mkdir()
    write_jsonl(root / "base.jsonl", BASE)
    assert "3 added" in ingest(env, tmp_path, str(root))
    return root


def test_a_running_server_finds_a_new_article_and_loses_a_pruned_one(
    archive: Path, env: dict[str, str], tmp_path: Path, serving: ServingProcess
) -> None:
    before = serving.ask(OLD_QUESTION)
    assert articles_in(before)[0][0] == "rate" and "16,5%" in before["answer"]
    searched, cited = articles_in(serving.ask(NEW_QUESTION))
    assert "seals" not in searched + cited

    write_jsonl(archive / "seals.jsonl", [NEW])
    assert "1 added, 0 updated, 3 unchanged" in ingest(env, tmp_path, str(archive))
    after = serving.ask(NEW_QUESTION)
    searched, cited = articles_in(after)
    assert searched[0] == "seals"
    assert "ста тридцати тысяч" in after["search"][0]["text"]
    assert cited and cited[0] == "seals" and after["citations"][0]["title"] == NEW["title"]
    assert "пересчитали байкальских нерп" in after["answer"]  # quoted from its text, not its headline
    assert articles_in(serving.ask(OLD_QUESTION))[0][0] == "rate"

    (archive / "seals.jsonl").unlink()
    assert "1 pruned" in ingest(env, tmp_path, "--prune", str(archive))
    gone = serving.ask(NEW_QUESTION)
    searched, cited = articles_in(gone)
    assert "seals" not in searched + cited
    assert NEW["title"] not in gone["answer"]
    assert serving.proc.poll() is None  # the same process all along
