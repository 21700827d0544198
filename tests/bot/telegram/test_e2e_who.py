"""``/who`` and ``/entities`` through the Bot API emulator, on articles the test writes and ingests: who is
named where and with whom is written down with them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from tests.bot.conftest import bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator, SentMessage, User

ARTICLES = [  # id, day, outlet, title, text
    ("w-1", "2025-01-15", "Лента", "Путин встретился с Песковым",
     "Владимир Путин встретился с Дмитрием Песковым и Сергеем Шойгу."),
    ("w-2", "2025-02-03", "Пост", "Заявление",
     "Дмитрий Песков заявил, что Путин ответит. С ним был Сергей Шойгу."),
    ("w-3", "2025-02-20", "Лента", "Визит", "Владимира Путина встретили в Минске."),
    ("w-4", "2025-03-10", "Радио", "Совещание",
     "Дмитрий Песков и Сергей Шойгу обсудили новости. Владимир Путин не комментировал."),
    ("w-5", "2025-03-12", "Лента", "Погода", "Синоптики обещают потепление и дожди."),
    ("w-6", "2025-03-20", "Пост", "Учения", "Сергей Шойгу провёл совещание."),
]  # fmt: skip
PUTIN = ["w-1", "w-2", "w-3", "w-4"]


@pytest.fixture(scope="module")
def who_data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    root = tmp_path_factory.mktemp("who-bot")
    (root / "in").mkdir()
    with (root / "in" / "news.jsonl").open("w", encoding="utf-8") as f:
        for aid, day, outlet, title, text in ARTICLES:
            record = {"id": aid, "date": day, "source": outlet, "title": title, "text": text}
            f.write(json.dumps(record | {"url": f"https://example.org/{aid}"}, ensure_ascii=False) + "\n")
    data_dir = root / "data"
    report = Ingestion(open_store(load_settings(data_dir=data_dir)), e5, lock_dir=data_dir / "locks").run(
        [root / "in"]
    )
    assert report.added == len(ARTICLES)
    return data_dir


def button(message: SentMessage, label: str) -> str:
    [data] = [b["callback_data"] for b in message.buttons if label in b["text"]]
    return str(data)


def links(message: SentMessage) -> list[str]:
    return [e["url"] for e in message.entities if e["type"] == "text_link"]


async def test_who_sends_the_months_chart_and_the_page_whose_buttons_answer(
    emu: BotApiEmulator, who_data_dir: Path, e5: E5Embeddings
) -> None:
    jo = emu.user(105, "Jo", "jo")
    chat = emu.private_chat(jo)
    async with running_bot(bot_settings(emu, who_data_dir), e5):
        emu.send_text(chat, jo, "/who Putin")
        [chart, page] = await emu.wait_for_messages_async(chat, 2, timeout=60)
        pressed = emu.press_button(chat, jo, page.message_id, button(page, "Песков"))
        [_, _, peskov_chart, peskov] = await emu.wait_for_messages_async(chat, 4, timeout=60)
        emu.press_button(chat, jo, page.message_id, button(page, "🔎"))
        [*_, search] = await emu.wait_for_messages_async(chat, 5, timeout=60)
        emu.press_button(chat, jo, page.message_id, button(page, "🕑"))
        [*_, timeline] = await emu.wait_for_messages_async(chat, 6, timeout=60)

    assert chart.photo and chart.text.startswith("📈 Владимир Путин: 4 articles\n2025-01 – 2025-03, by month")
    assert "Busiest: 2025-02 (2)" in chart.text
    image = Image.open(io.BytesIO(emu.file_content(chart.photo[-1]["file_id"])))
    image.load()
    assert image.format == "PNG" and image.size == (1000, 450)
    assert len(set(image.convert("RGB").getdata())) > 10  # bars, legend and text drawn, not a blank page

    lines = page.text.splitlines()
    assert lines[0] == "👤 Владимир Путин · person · 4 articles"
    assert "First: 2025-01-15 · Лента · Путин встретился с Песковым" in lines
    assert "Last: 2025-03-10 · Радио · Совещание" in lines
    assert "Outlets: Лента 2, Радио 1, Пост 1" in lines  # ties: the newer mention first
    assert "Named with (beyond chance): Дмитрий Песков (3), Сергей Шойгу (3)" in lines
    best = lines[lines.index("Best articles") + 1 :]
    assert best[0].endswith("Путин встретился с Песковым")  # the title names him: first
    assert [line[:10] for line in best[1:]] == ["2025-03-10", "2025-02-20", "2025-02-03"]  # then newest
    assert links(page)[:2] == ["https://example.org/w-1", "https://example.org/w-4"]
    assert [b["text"] for b in page.buttons] == [
        "🕑 Timeline", "🔎 Search", "👤 Дмитрий Песков", "👤 Сергей Шойгу"
    ]  # fmt: skip
    assert all(len(b["callback_data"].encode()) <= 64 for b in page.buttons)

    assert [a.text for a in emu.callback_answers if a.callback_query_id == pressed] == [None]
    assert peskov_chart.photo and peskov.text.startswith("👤 Дмитрий Песков · person · 3 articles")
    assert "Named with (beyond chance): Сергей Шойгу (3), Владимир Путин" in peskov.text
    assert search.text.startswith("🔎 Владимир Путин: ")
    assert set(links(search)) >= {f"https://example.org/{a}" for a in ("w-1", "w-3", "w-4")}
    assert timeline.photo and timeline.text.startswith(  # /timeline's words: w-2 says only "Путин"
        "📈 Владимир + Путин: 3 articles (mention all of these words)\n"
    )
    assert links(timeline) == [f"https://example.org/{a}" for a in ("w-1", "w-3", "w-4")]


async def test_who_in_russian_with_a_filter_an_unknown_name_and_its_nearest(
    emu: BotApiEmulator, who_data_dir: Path, e5: E5Embeddings
) -> None:
    ira = User(106, "Ира", "ira", language_code="ru")
    chat = emu.private_chat(ira)
    async with running_bot(bot_settings(emu, who_data_dir), e5):
        emu.send_text(chat, ira, "/who Шойгу since:2025-02-01")
        [chart, page] = await emu.wait_for_messages_async(chat, 2, timeout=60)
        emu.send_text(chat, ira, "/who Дмитрий Медведев since:2025-02-01")
        [*_, unknown] = await emu.wait_for_messages_async(chat, 3, timeout=60)
        emu.press_button(chat, ira, unknown.message_id, button(unknown, "Песков"))
        [*_, nearest] = await emu.wait_for_messages_async(chat, 5, timeout=60)
        emu.send_text(chat, ira, "/who")
        [*_, usage] = await emu.wait_for_messages_async(chat, 6, timeout=60)

    assert chart.text.startswith("📈 Сергей Шойгу: 3 статьи\n2025-02 – 2025-03, по месяцам")
    assert page.text.startswith("👤 Сергей Шойгу · человек · 3 статьи\n")
    assert "Впервые: 2025-02-03 · Пост · Заявление" in page.text
    assert "Последний раз: 2025-03-20 · Пост · Учения" in page.text
    assert unknown.text == "Дмитрий Медведев: в архиве не упоминается. Ближайшие имена:"
    assert [b["text"] for b in unknown.buttons] == ["👤 Дмитрий Песков"]
    assert nearest.text.startswith("👤 Дмитрий Песков · человек · 2 статьи")  # since:2025-02-01 kept
    assert usage.text.startswith("Напишите имя, например /who Путин")


async def test_entities_lists_the_most_named_of_a_kind_and_period(
    emu: BotApiEmulator, who_data_dir: Path, e5: E5Embeddings
) -> None:
    jo = emu.user(107, "Jo", "jo")
    chat = emu.private_chat(jo)
    async with running_bot(bot_settings(emu, who_data_dir), e5):
        emu.send_text(chat, jo, "/entities person")
        await emu.wait_for_messages_async(chat, 1, timeout=60)
        emu.send_text(chat, jo, "/entities person since:2025-03-01")
        await emu.wait_for_messages_async(chat, 2, timeout=60)
        emu.send_text(chat, jo, "/entities animals")
        [every, march, usage] = await emu.wait_for_messages_async(chat, 3, timeout=60)

    lines = every.text.splitlines()
    top = [line.split(". ", 1)[1] for line in lines[1:4]]
    assert lines[0] == "Most in the news" and lines[1].startswith("1. ")
    assert sorted(top[:2]) == ["Владимир Путин · person · 4 articles", "Сергей Шойгу · person · 4 articles"]
    assert top[2] == "Дмитрий Песков · person · 3 articles"
    assert march.text.splitlines()[1] == "1. Сергей Шойгу · person · 2 articles"
    assert usage.text.startswith("/entities lists who and what the archive names most")
