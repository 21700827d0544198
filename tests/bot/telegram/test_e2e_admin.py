"""Admins re-ingest the archive folder and send documents; everyone else is refused politely."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import zipfile
from pathlib import Path

import pytest

from bot.telegram.services import services_of
from ingest.chunking import chunk_article
from ingest.loaders import load_paths
from ingest.locking import local_lock
from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import ADMIN_ID, bot_settings, running_bot
from tests.conftest import SAMPLE
from tests.emulators.bot_api import BotApiEmulator

TRAM = (
    "В Твери запустили новый трамвай на водородном топливе\n\n"
    "В Твери на линию вышел первый трамвай на водородном топливе. Вагон собран на местном заводе и "
    "перевезёт до 180 пассажиров. Городские власти рассчитывают получить ещё шесть таких трамваев до лета."
)

SAMPLE_CHUNKS = sum(len(chunk_article(a)) for a in load_paths([SAMPLE]).articles)


def big_archive(folder: Path, articles: int) -> Path:
    folder.mkdir()
    with (folder / "wire.jsonl").open("w", encoding="utf-8") as f:
        for i in range(articles):
            text = f"Сводка номер {i}. В городе {i} прошло заседание совета по вопросу {i * 7}."
            f.write(json.dumps({"id": f"wire-{i}", "title": f"Сводка {i}", "text": text}) + "\n")
    return folder


async def test_reingest_is_refused_to_others_and_logged(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    eve = emu.user(666, "Eve", "eve")
    chat = emu.private_chat(eve)
    settings = bot_settings(emu, tmp_path / "data", archive_dir=SAMPLE)
    caplog.set_level(logging.INFO, logger="newsbot")
    async with running_bot(settings, e5):
        emu.send_text(chat, eve, "/reingest prune")
        emu.send_document(chat, eve, "news.txt", TRAM.encode())
        first, second = await emu.wait_for_messages_async(chat, 2, timeout=30)
    assert first.text == second.text == "Sorry, only the archive's administrators can do that."
    assert "refused /reingest prune from user 666 (not an admin)" in caplog.text
    assert "refused upload 'news.txt'" in caplog.text and "from user 666" in caplog.text
    assert not emu.downloads  # nothing was fetched for a refused upload
    assert not (tmp_path / "data" / "uploads").exists()


async def test_admin_reingest_edits_one_status_message_and_ends_with_the_summary(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    settings = bot_settings(emu, tmp_path / "data", archive_dir=SAMPLE)
    caplog.set_level(logging.INFO, logger="newsbot")
    async with running_bot(settings, e5):
        emu.send_text(chat, admin, "/reingest")
        [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
        done = await emu.wait_for_async(
            lambda: "finished" in emu.message(chat, status.message_id).text, timeout=60
        )
        emu.send_text(chat, admin, "Кто представит США на переговорах в Париже?")
        [_, answer] = await emu.wait_for_messages_async(chat, 2, timeout=30)
    final = emu.message(chat, status.message_id)
    assert done and status.text.startswith(f"⏳ Re-ingesting {SAMPLE}\nReading files…")
    assert final.text.startswith(
        f"✅ Re-ingesting {SAMPLE}\n"
        f"Ingestion finished: 12 added, 0 updated, 0 unchanged, 0 pruned, 0 skipped; {SAMPLE_CHUNKS} chunks "
        "written in "
    )
    assert len(emu.messages(chat)) == 2  # progress went into the one status message
    assert "Уиткофф" in answer.text
    assert f"admin {ADMIN_ID}: /reingest" in caplog.text
    assert f"ingestion Re-ingesting {SAMPLE} by {ADMIN_ID}: Ingestion finished: 12 added" in caplog.text


async def test_a_second_reingest_is_told_one_runs_and_cancel_stops_it_cleanly(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    archive = big_archive(tmp_path / "archive", 1500)
    settings = bot_settings(emu, tmp_path / "data", archive_dir=archive)
    async with running_bot(settings, e5) as app:
        emu.send_text(chat, admin, "/reingest")
        [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
        await emu.wait_for_async(  # a first batch written
            lambda: re.search(r"Articles [1-9]\d* / 1500", emu.message(chat, status.message_id).text),
            timeout=180,
        )
        emu.send_text(chat, admin, "/reingest")
        [_, busy] = await emu.wait_for_messages_async(chat, 2, timeout=15)
        emu.send_text(chat, admin, "/cancel")
        [*_, stopping] = await emu.wait_for_messages_async(chat, 3, timeout=15)
        await emu.wait_for_async(lambda: "cancelled" in emu.message(chat, status.message_id).text, timeout=60)
        stats = services_of(app.bot_data).archive.stats()
    final = emu.message(chat, status.message_id).text
    assert busy.text.startswith(
        f"An ingestion is already running: Re-ingesting {archive} (started by {ADMIN_ID}"
    )
    assert stopping.text == "Stopping within seconds; the archive stays consistent."
    assert final.startswith(f"⏹ Re-ingesting {archive}\nIngestion cancelled: ")
    added = int(final.split("Ingestion cancelled: ")[1].split(" added")[0])
    assert 0 < added < 1500
    assert stats.articles == added and stats.chunks == added  # whole articles only, nothing half-written
    progress = [v.text for v in emu.message(chat, status.message_id).edits if "Articles" in v.text]
    assert progress and "/ 1500 · chunks" in progress[0] and "chunks/s · ETA" in progress[0]


async def test_an_uploaded_document_is_ingested_and_then_answerable(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    data_dir = tmp_path / "data"
    async with running_bot(bot_settings(emu, data_dir), e5):
        emu.send_document(chat, admin, "tver-tram.txt", TRAM.encode())
        [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
        await emu.wait_for_async(lambda: "finished" in emu.message(chat, status.message_id).text, timeout=60)
        emu.send_text(chat, admin, "Что запустили в Твери?")
        [_, answer] = await emu.wait_for_messages_async(chat, 2, timeout=30)
    final = emu.message(chat, status.message_id).text
    assert final.startswith("✅ Ingesting tver-tram.txt\nIngestion finished: 1 added, 0 updated")
    assert "водородном топливе" in answer.text and "[1]" in answer.text
    assert "В Твери запустили новый трамвай" in answer.text  # the source line names the article
    [kept] = list((data_dir / "uploads").glob("*/tver-tram.txt"))
    assert kept.read_text(encoding="utf-8") == TRAM
    assert emu.downloads == ["documents/file_1.txt"]


async def test_an_upload_waits_for_another_ingestion_and_then_goes_in(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    """While another ingestion holds the collection, an upload waits its turn (NEWSBOT_INGEST_WAIT)
    instead of being refused."""
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    data_dir = tmp_path / "data"
    async with running_bot(bot_settings(emu, data_dir, ingest_wait=60), e5) as app:
        store = await asyncio.to_thread(lambda: services_of(app.bot_data).archive.answerer().store)
        with local_lock(data_dir / "locks", store):  # another ingestion holds the collection
            emu.send_document(chat, admin, "tver-tram.txt", TRAM.encode())
            [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
            await asyncio.sleep(2)
            assert "finished" not in emu.message(chat, status.message_id).text
        await emu.wait_for_async(lambda: "finished" in emu.message(chat, status.message_id).text, timeout=60)
    final = emu.message(chat, status.message_id).text
    assert final.startswith("✅ Ingesting tver-tram.txt\nIngestion finished: 1 added, 0 updated"), final


async def test_a_zip_is_extracted_safely_with_a_per_file_report(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    data_dir = tmp_path / "data"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("news/tram.txt", TRAM)
        z.writestr("news/photo.png", b"\x89PNG")
        z.writestr("../escape.txt", "Побег из папки. Этот файл не должен быть распакован.")
        z.writestr("news/empty.json", "[]")
    async with running_bot(bot_settings(emu, data_dir), e5):
        emu.send_document(chat, admin, "batch.zip", buffer.getvalue())
        [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
        await emu.wait_for_async(lambda: "finished" in emu.message(chat, status.message_id).text, timeout=60)
    final = emu.message(chat, status.message_id).text
    assert final.startswith("✅ Ingesting batch.zip\nIngestion finished: 1 added")
    assert "original.zip:news/photo.png: unsupported file type .png" in final
    assert "original.zip:../escape.txt: unsafe path" in final
    assert "empty.json" in final  # the loader's own report of what it skipped, and why
    [folder] = list((data_dir / "uploads").iterdir())
    assert (folder / "original.zip").read_bytes() == buffer.getvalue()
    assert (folder / "files" / "news" / "tram.txt").read_text(encoding="utf-8") == TRAM
    assert not list(tmp_path.rglob("escape.txt"))


async def test_upload_limits_are_checked_before_downloading(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    settings = bot_settings(emu, tmp_path / "data", max_upload_mb=1)
    async with running_bot(settings, e5):
        emu.send_document(chat, admin, "huge.txt", b"x" * (2 * 2**20))
        emu.send_document(chat, admin, "report.pdf", b"%PDF-1.4")
        await emu.wait_for_messages_async(chat, 2, timeout=15)
    too_big, wrong_type = sorted((m.text for m in emu.messages(chat)), key=lambda t: "limit" not in t)
    assert too_big == "«huge.txt» is 2.0 MB; the limit is 1 MB (NEWSBOT_MAX_UPLOAD_MB)."
    assert wrong_type.startswith("I can ingest .csv .htm .html .json .jsonl .md .txt .zip files")
    assert not emu.downloads
