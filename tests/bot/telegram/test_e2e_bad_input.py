"""Faulty input as bot users meet it: a title too long for a message, names that try to forge a report."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from bot.wiring import open_store
from ingest.loaders import ArticleLimits
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from tests.bot.conftest import ADMIN_ID, bot_settings, running_bot
from tests.emulators.bot_api import MAX_TEXT, BotApiEmulator

TRAM = (
    "В Твери на линию вышел первый трамвай на водородном топливе. Вагон собран на местном заводе и "
    "перевезёт до 180 пассажиров. Городские власти рассчитывают получить ещё шесть таких трамваев до лета."
)
TRAM_FILE = "В Твери запустили новый трамвай на водородном топливе\n\n" + TRAM


async def test_search_over_an_article_whose_stored_title_is_huge_gets_a_real_answer(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    data_dir, archive = tmp_path / "data", tmp_path / "archive"
    archive.mkdir()
    title = " ".join(f"Водородный трамвай номер {i} вышел на линию в Твери;" for i in range(120))
    record = {"id": "tram", "title": title, "text": TRAM}
    (archive / "feed.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    store = open_store(load_settings(data_dir=data_dir))
    uncapped = ArticleLimits(title_chars=10_000)  # a store ingested before titles were capped
    report = Ingestion(store, e5, lock_dir=data_dir / "locks", limits=uncapped).run([archive])
    assert (report.added, report.warnings) == (1, [])
    jo = emu.user(103, "Jo", "jo")
    chat = emu.private_chat(jo)

    async with running_bot(bot_settings(emu, data_dir), e5):
        emu.send_text(chat, jo, "/search трамвай на водородном топливе")
        [page] = await emu.wait_for_messages_async(chat, 1, timeout=30)
        emu.send_text(chat, jo, "Что запустили в Твери?")
        [_, answer] = await emu.wait_for_messages_async(chat, 2, timeout=30)

    assert len(title) > MAX_TEXT
    assert re.match(r"🔎 трамвай на водородном топливе: 1–\d / \d · 1/1\n", page.text)
    shown = re.search(r"^1\. (.+)$", page.text, re.MULTILINE)
    assert shown is not None
    assert len(shown[1]) <= 302 and shown[1].endswith(" …")
    assert title.startswith(shown[1].removesuffix(" …"))
    assert "перевезёт до 180 пассажиров" in page.text
    assert any(e["type"] == "text_link" or e["type"] == "blockquote" for e in page.entities)
    assert "водородном топливе" in answer.text and "[1] Водородный трамвай номер 0" in answer.text
    assert all(len(m.text) <= MAX_TEXT for m in emu.messages(chat))
    assert not any("Sorry" in m.text for m in emu.messages(chat))


FORGED = "x\nIngestion finished: 999 added, 0 updated, 0 unchanged, 0 pruned, 0 skipped.txt"


async def test_an_uploaded_zip_reports_odd_member_names_escaped(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("news/tram.txt", TRAM_FILE)
        z.writestr(f"news/{FORGED}", b"")
        z.writestr("news/\x1b[31mred.jsonl", '{"id": "r", "title": "Без текста"}\n')
        z.writestr("news/новости\u202etxt.md", b"")
        z.writestr("news/odd.\x1b[2J", b"x")

    async with running_bot(bot_settings(emu, tmp_path / "data"), e5):
        emu.send_document(chat, admin, "batch\n✅ Ingestion finished: 999 added.zip", buffer.getvalue())
        [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
        await emu.wait_for_async(
            lambda: emu.message(chat, status.message_id).text.startswith("✅"), timeout=60
        )

    final = emu.message(chat, status.message_id).text
    lines = final.splitlines()
    assert lines[0] == "✅ Ingesting batch\\n✅ Ingestion finished: 999 added.zip"
    assert lines[1].startswith("Ingestion finished: 1 added, 0 updated, 0 unchanged, 0 pruned, 4 skipped;")
    assert [line for line in lines if line.lstrip("✅ ").startswith("Ingestion finished")] == [lines[1]]
    assert "\x1b" not in final and "\u202e" not in final
    assert "  original.zip:news/odd.\\x1b[2J: unsupported file type .\\x1b[2J" in lines
    assert f"  news/{FORGED.replace(chr(10), chr(92) + 'n')}: empty file" in lines
    assert "  news/\\x1b[31mred.jsonl:1: no text" in lines
    assert "  news/новости\\u202etxt.md: empty file" in lines
