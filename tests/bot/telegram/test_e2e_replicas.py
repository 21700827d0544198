"""Two ``newsbot serve`` replicas on one ``chroma run`` server, with an ingestion running beside them.

Each replica is its own process with its own bot token (and so its own Bot API emulator); neither holds
a copy of the archive, so what a third process ingests both find on their next question, without a
restart. While the ingestion runs, both keep answering from what the archive already holds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.emulators.bot_api import BotApiEmulator, Chat, User

pytestmark = pytest.mark.server

TOKENS = ("7001:REPLICA-one_token", "7002:REPLICA-two_token")
REPLY_TIMEOUT = 180.0  # the first answer waits for the model to load on a busy machine

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
]
NEW = {
    "id": "seals",
    "title": "На Байкале пересчитали нерп",
    "date": "2026-01-12",
    "source": "Лента-Пример",
    "text": "Учёные Лимнологического института пересчитали байкальских нерп с помощью беспилотников: "
    "популяция выросла до ста тридцати тысяч животных. Это максимум за двадцать лет наблюдений.",
}
FILLERS = [  # more to embed, so that the ingestion has some length
    {
        "id": f"filler-{i}",
        "title": f"Городские новости, выпуск {i}",
        "date": f"2026-01-{10 + i:02d}",
        "source": "Город-Пример",
        "text": " ".join(
            f"В районе номер {i * 10 + j} отремонтировали дворы, высадили деревья и обновили освещение "
            "улиц, сообщили в управе."
            for j in range(6)
        ),
    }
    for i in range(6)
]
OLD_QUESTION = "Какая ключевая ставка ЦБ?"
NEW_QUESTION = "Сколько нерп живёт на Байкале?"


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


@dataclass
class Replica:
    emu: BotApiEmulator
    proc: subprocess.Popen[bytes]
    log: Path
    user: User
    chat: Chat

    def ask(self, question: str) -> str:
        """Send ``question`` from the user's private chat and return the bot's reply as the user sees it."""
        seen = len(self.emu.messages(self.chat))
        self.emu.send_text(self.chat, self.user, question)
        try:
            replies = self.emu.wait_for_messages(self.chat, seen + 1, timeout=REPLY_TIMEOUT)
        except Exception as exc:
            raise AssertionError(
                f"{exc}\n--- log ---\n{self.log.read_text(errors='replace')[-3000:]}"
            ) from exc
        assert self.proc.poll() is None, self.log.read_text(errors="replace")[-3000:]
        return replies[seen].text


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def store_env(chroma_server: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSBOT_CHROMA_URL": chroma_server,
        "NEWSBOT_COLLECTION": f"replicas-{tmp_path.name[-20:]}".replace("_", "-"),
        "PYTHONPATH": str(REPO),
    }


def ingest_command(*paths: Path) -> list[str]:
    return [sys.executable, "-m", "bot.cli", "ingest", "--no-progress", *map(str, paths)]


@pytest.fixture
def replicas(store_env: dict[str, str], tmp_path: Path) -> Iterator[list[Replica]]:
    """The base archive ingested, then two replicas serving it (always stopped at the end)."""
    base = tmp_path / "archive" / "base.jsonl"
    base.parent.mkdir()
    write_jsonl(base, BASE)
    env = {**store_env, "NEWSBOT_DATA_DIR": str(tmp_path / "ingest-data")}
    done = subprocess.run(ingest_command(base), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "2 added" in done.stdout, done.stderr[-3000:]

    with ExitStack() as stack:
        started: list[Replica] = []
        for n, token in enumerate(TOKENS, start=1):
            emu = stack.enter_context(BotApiEmulator(token=token, bot_username=f"news_replica{n}_bot"))
            log = tmp_path / f"replica-{n}.log"
            env = {
                **store_env,
                "TELEGRAM_BOT_TOKEN": token,
                "TELEGRAM_API_BASE_URL": emu.base_url,
                "NEWSBOT_DATA_DIR": str(tmp_path / f"replica-{n}"),
            }
            with log.open("wb") as err:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "bot.cli", "-v", "serve"], cwd=tmp_path, env=env, stderr=err
                )
            stack.callback(stop, proc)
            user = emu.user(100 + n, f"Reader{n}", f"reader{n}")
            started.append(Replica(emu, proc, log, user, emu.private_chat(user)))
        yield started


def test_two_replicas_answer_through_an_ingestion_and_both_find_the_new_article(
    replicas: list[Replica], store_env: dict[str, str], tmp_path: Path
) -> None:
    for replica in replicas:
        reply = replica.ask(OLD_QUESTION)
        assert "16,5%" in reply and "[1]" in reply
        assert NEW["title"] not in replica.ask(NEW_QUESTION)

    incoming = tmp_path / "incoming"
    incoming.mkdir()
    write_jsonl(incoming / "fresh.jsonl", [*FILLERS, NEW])
    env = {**store_env, "NEWSBOT_DATA_DIR": str(tmp_path / "ingest-data")}
    with (tmp_path / "ingest.log").open("w+") as out:
        ingestion = subprocess.Popen(
            ingest_command(incoming), cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT, text=True
        )
        try:
            # while it runs (or however far it got), what the archive held is still answered
            for replica in replicas:
                reply = replica.ask(OLD_QUESTION)
                assert "16,5%" in reply and "[1]" in reply
            assert ingestion.wait(timeout=600) == 0
        finally:
            stop(ingestion)
        out.seek(0)
        report = out.read()
    assert f"{len(FILLERS) + 1} added" in report, report[-3000:]

    for replica in replicas:
        reply = replica.ask(NEW_QUESTION)
        assert "[1]" in reply and NEW["title"] in reply, reply
    for replica in replicas:
        assert replica.proc.poll() is None  # the same processes all along: nothing was restarted
        assert not replica.emu.server_errors
