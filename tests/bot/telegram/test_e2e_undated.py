"""In the bot, a date filter (``since:``) says how many undated articles it left out, in the question's
language, and an outlet the archive does not hold (``source:``) names the closest ones; an uploaded file's
ingestion report counts its articles without a date or an outlet. Through the Bot API emulator, over
generated plain-text articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from tests.bot.conftest import ADMIN_ID, bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator

OUTLET = "Пример-Новости"
ARTICLES = {
    "snow.txt": "Снегопад в Москве\n2026-01-12\n\nСнегопад в Москве парализовал движение на дорогах.\n",
    "storm.txt": "Метель в Твери\n2026-01-14\n\nМетель и снегопад в Твери: закрыты две трассы.\n",
    "frost.txt": "Морозы\n\nСнегопад сменился морозами, термометр показал -25.\n",
    "bridge.txt": "Мост на ремонте\n\nМост через Москву-реку закрыли на ремонт до весны.\n",
}


@pytest.fixture
def data_dir(tmp_path: Path, e5: E5Embeddings) -> Path:
    folder, data = tmp_path / "texts", tmp_path / "data"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = open_store(load_settings(data_dir=data))
    report = Ingestion(store, e5, lock_dir=data / "locks").run([folder], source=OUTLET)
    assert (report.added, report.undated, report.no_outlet) == (4, 2, 0)
    return data


async def test_a_date_filter_says_how_many_undated_articles_it_left_out(
    emu: BotApiEmulator, data_dir: Path, e5: E5Embeddings
) -> None:
    user = emu.user(321, "Ира", "ira")
    chat = emu.private_chat(user)
    async with running_bot(bot_settings(emu, data_dir), e5):
        emu.send_text(chat, user, "/search снегопад since:2026-01-01")
        [found] = await emu.wait_for_messages_async(chat, 1, timeout=60)
        emu.send_text(chat, user, "What was written about snowfall in Moscow? since:2026-01-01")
        [_, answer] = await emu.wait_for_messages_async(chat, 2, timeout=60)
        emu.send_text(chat, user, "/search снегопад")
        [*_, unfiltered] = await emu.wait_for_messages_async(chat, 3, timeout=60)
        emu.send_text(chat, user, "/search снегопад source:Примр-Новости")
        [*_, wrong] = await emu.wait_for_messages_async(chat, 4, timeout=60)

    assert "(статей без даты, не учтённых фильтром по дате: 2)" in found.text
    assert "Снегопад в Москве" in found.text and "Морозы" not in found.text
    assert answer.text.rstrip().endswith("(articles without a date left out by the date filter: 2)")
    assert "без даты, не учтённых" not in unfiltered.text and "Морозы" in unfiltered.text
    assert wrong.text == "⚠️ No outlet called «Примр-Новости» in the archive. Closest: Пример-Новости"


async def test_an_uploaded_files_report_counts_its_articles_without_a_date_or_an_outlet(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    async with running_bot(bot_settings(emu, tmp_path / "data"), e5):
        emu.send_document(chat, admin, "frost.txt", ARTICLES["frost.txt"].encode())
        [status] = await emu.wait_for_messages_async(chat, 1, timeout=15)
        await emu.wait_for_async(lambda: "finished" in emu.message(chat, status.message_id).text, timeout=60)
    lines = emu.message(chat, status.message_id).text.splitlines()
    assert lines[1].startswith("Ingestion finished: 1 added")
    assert lines[2].startswith("Without a date: 1 of the articles read; date filters (--since, --until,")
    assert lines[3] == (
        "Without an outlet: 1 of the articles read (listed as 'unknown'). Name one for a folder's articles: "
        "newsbot ingest DIR --source NAME"
    )
