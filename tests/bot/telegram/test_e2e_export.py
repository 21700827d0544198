"""In Telegram, 📎 under /search results sends them as a CSV document: the CSV ``newsbot search --csv``
writes, read back with the csv module."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.present.csv_export import SEARCH_COLUMNS
from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import bot_settings, running_bot
from tests.conftest import SAMPLE
from tests.emulators.bot_api import BotApiEmulator
from tests.support import reprints
from tests.support.cli import run


@pytest.fixture(scope="module")
def export_data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    """The sample news and the Paris talks as two outlets ran them (one story) and a third told them."""
    return reprints.ingest_story(tmp_path_factory.mktemp("bot-export"), e5, SAMPLE / "news.jsonl")


async def test_the_paperclip_sends_the_results_as_the_csv_the_command_line_writes(
    emu: BotApiEmulator,
    export_data_dir: Path,
    e5: E5Embeddings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    jo = emu.user(103, "Jo", "jo")
    chat = emu.private_chat(jo)
    async with running_bot(bot_settings(emu, export_data_dir), e5):
        emu.send_text(chat, jo, f"/search {reprints.QUERY}")
        [results] = await emu.wait_for_messages_async(chat, 1, timeout=60)
        [clip] = [b for b in results.buttons if b["text"] == "📎 CSV"]
        pressed = emu.press_button(chat, jo, results.message_id, str(clip["callback_data"]))
        [_, sent] = await emu.wait_for_messages_async(chat, 2, timeout=60)

    assert len(str(clip["callback_data"]).encode()) <= 64  # Telegram's limit: PTB keeps the search
    assert [a.callback_query_id for a in emu.callback_answers] == [pressed]  # the press was answered
    assert sent.document is not None
    assert (sent.document["file_name"], sent.document["mime_type"]) == ("search.csv", "text/csv")
    content = emu.file_content(sent.document["file_id"])
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))
    assert next(csv.reader(io.StringIO(content.decode("utf-8")))) == list(SEARCH_COLUMNS)
    assert sent.text == f"🔎 {reprints.QUERY}: результатов в CSV: {len(rows)}"
    [talks] = [r for r in rows if r["outlet"] in ("Пример-Новости", "Вести-Пример")][:1]
    assert talks["story"] == reprints.ORIGINAL and talks["also_in"]  # one story, the other copy "also in"
    assert len(rows) > 5  # every result, not the first page's

    # the same CSV as `newsbot search QUERY --csv` on the same archive
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(export_data_dir))
    monkeypatch.setattr("bot.wiring.load_embeddings", lambda settings: e5)
    code, out, _ = run(["search", reprints.QUERY, "--csv"], capsys)
    assert code == 0 and out.encode("utf-8") == content
