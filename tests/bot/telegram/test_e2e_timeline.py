"""``/timeline`` and ``newsbot timeline``: a chart of the articles that mention some words, whose counts are
those of the articles ingested for the test (what each mentions is written down with it)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from matplotlib.image import imread

from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from tests.bot.conftest import bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator, SentMessage, User
from tests.support.cli import one_line, run


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    text: str
    day: date | None
    source: str
    witkoff: bool  # mentions him, in either script


SENTENCES = [
    ("Уиткофф прилетел в Москву на переговоры.", True),
    ("Steve Witkoff met the delegation in Paris.", True),
    ("Заявление Уиткоффа опубликовали вечером.", True),
    ("Власти Казани обсудили новый бюджет.", False),
    ("В Самаре открыли новую школу.", False),
]
OUTLETS = ["Лента", "Пост", "Радио"]


def items() -> list[Item]:
    out = []
    for i in range(20):
        text, witkoff = SENTENCES[i % len(SENTENCES)]
        day = None if i in (7, 13) else date(2025, 11, 3) + timedelta(days=5 * i)
        out.append(Item(f"tl-{i:02d}", f"Новость номер {i}", text, day, OUTLETS[i % 3], witkoff))
    return out


@pytest.fixture(scope="module")
def timeline_data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    root = tmp_path_factory.mktemp("timeline-bot")
    (root / "in").mkdir()
    with (root / "in" / "news.jsonl").open("w", encoding="utf-8") as f:
        for it in items():
            record = {"id": it.id, "title": it.title, "text": it.text, "source": it.source}
            record |= {"url": f"https://example.org/{it.id}"} | (
                {"date": it.day.isoformat()} if it.day else {}
            )
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    data_dir = root / "data"
    settings = load_settings(data_dir=data_dir)
    report = Ingestion(open_store(settings), e5, lock_dir=data_dir / "locks").run([root / "in"])
    assert report.added == 20
    return data_dir


def png_of(emu: BotApiEmulator, message: SentMessage) -> bytes:
    assert message.photo, f"not a photo: {message.text!r}"
    return emu.file_content(message.photo[-1]["file_id"])


async def test_timeline_sends_a_chart_whose_caption_counts_the_articles(
    emu: BotApiEmulator, timeline_data_dir: Path, e5: E5Embeddings
) -> None:
    mentioning = [it for it in items() if it.witkoff]
    dated = sorted((it for it in mentioning if it.day), key=lambda it: (it.day, it.title))
    jo = emu.user(105, "Jo", "jo")
    chat = emu.private_chat(jo)
    async with running_bot(bot_settings(emu, timeline_data_dir), e5):
        emu.send_text(chat, jo, "/timeline Witkoff")
        [chart] = await emu.wait_for_messages_async(chat, 1, timeout=60)

    image = imread(io.BytesIO(png_of(emu, chart)), format="png")
    height, width = image.shape[:2]
    assert 300 <= height <= 2000 and 600 <= width <= 3000 and image.std() > 0  # drawn, not blank
    total = re.match(r"📈 Witkoff: (\d+) articles\n", chart.text)
    assert total is not None and int(total.group(1)) == len(mentioning)
    assert "by week" in chart.text and "Busiest: week of " in chart.text
    assert f"Undated: {sum(it.day is None for it in mentioning)} of them" in chart.text
    links = [e["url"] for e in chart.entities if e["type"] == "text_link"]
    assert links == [f"https://example.org/{it.id}" for it in dated[:3]]
    assert f"{dated[0].day.isoformat()} {dated[0].title} · {dated[0].source}" in chart.text  # type: ignore[union-attr]


async def test_timeline_in_russian_with_a_filter_and_when_there_is_nothing_to_draw(
    emu: BotApiEmulator, timeline_data_dir: Path, e5: E5Embeddings
) -> None:
    in_lenta = [it for it in items() if "Уиткофф" in it.text and it.source == "Лента"]
    ru = User(106, "Ира", "ira", language_code="ru")
    chat = emu.private_chat(ru)
    async with running_bot(bot_settings(emu, timeline_data_dir), e5):
        emu.send_text(chat, ru, "/timeline Уиткофф source:Лента")
        await emu.wait_for_messages_async(chat, 1, timeout=60)
        emu.send_text(chat, ru, "/timeline Шойгу")
        await emu.wait_for_messages_async(chat, 2, timeout=60)
        emu.send_text(chat, ru, "/timeline и в на")
        await emu.wait_for_messages_async(chat, 3, timeout=60)
        emu.send_text(chat, ru, "/timeline")
        [chart, absent, stop_words, usage] = await emu.wait_for_messages_async(chat, 4, timeout=60)
    assert png_of(emu, chart).startswith(b"\x89PNG")
    total = re.match(r"📈 Уиткофф: (\d+) стать", chart.text)
    assert total is not None and int(total.group(1)) == len(in_lenta) > 0  # the Cyrillic spelling only
    assert "по неделям" in chart.text
    assert not absent.photo and absent.text == "📈 Шойгу: ни одна статья их не упоминает"
    assert not stop_words.photo and "только служебные слова" in stop_words.text
    assert usage.text.startswith("Напишите, что считать")


async def test_timeline_compares_queries_separated_by_a_bar_on_one_chart(
    emu: BotApiEmulator, timeline_data_dir: Path, e5: E5Embeddings
) -> None:
    witkoff = [it for it in items() if it.witkoff]
    kazan = [it for it in items() if "Казани" in it.text]
    jo = emu.user(107, "Jo", "jo")
    chat = emu.private_chat(jo)
    async with running_bot(bot_settings(emu, timeline_data_dir), e5):
        emu.send_text(chat, jo, "/timeline Witkoff | Казань")
        await emu.wait_for_messages_async(chat, 1, timeout=60)
        emu.send_text(chat, jo, "/timeline a1 | a2 | a3 | a4 | a5 | a6")
        [chart, too_many] = await emu.wait_for_messages_async(chat, 2, timeout=60)

    lines = chart.text.splitlines()
    assert lines[0].startswith(f"📈 Witkoff: {len(witkoff)} articles · Busiest: week of ")
    assert lines[1].startswith(f"📈 Казань: {len(kazan)} articles · Busiest: week of ")
    assert f"Undated: {sum(it.day is None for it in witkoff)}" not in lines[1]
    image = imread(io.BytesIO(png_of(emu, chart)), format="png")
    assert image.shape[:2] == (450, 1000)
    rgb = (image[..., :3] * 255).round()
    for colour in ((0x1F, 0x77, 0xB4), (0xD6, 0x27, 0x28)):  # a line each, in the first two colours
        assert (abs(rgb - colour).max(axis=-1) < 8).sum() > 500
    assert not too_many.photo and too_many.text.startswith("⚠️ At most 5 queries on one chart")


def test_cli_timeline_writes_the_chart_and_prints_the_counts(
    timeline_data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(timeline_data_dir))
    mentioning = [it for it in items() if it.witkoff]
    code, out, _ = run(["timeline", "witkoff", "--png", str(tmp_path / "t.png")], capsys)
    assert code == 0
    assert out.startswith(f"witkoff: {len(mentioning)} articles, week of ")
    image = imread(str(tmp_path / "t.png"))
    assert image.shape[0] >= 300 and image.shape[1] >= 600

    code, out, _ = run(["timeline", "witkoff", "--since", "2025-11-10", "--json"], capsys)
    [got] = json.loads(out)  # a series per query
    since = [it for it in mentioning if it.day and it.day >= date(2025, 11, 10)]
    assert code == 0 and got["total"] == sum(p["count"] for p in got["periods"]) == len(since)
    assert got["query"] == "witkoff" and got["undated"] == 0 and got["granularity"] == "week"

    code, out, _ = run(["timeline", "witkoff"], capsys)  # without --png: a line per week with articles
    weeks = {date.fromisoformat(d): int(n) for d, n in re.findall(r"^(\d{4}-\d\d-\d\d) +(\d+)", out, re.M)}
    mondays = sorted({it.day - timedelta(days=it.day.weekday()) for it in mentioning if it.day})
    every = [mondays[0] + timedelta(weeks=i) for i in range((mondays[-1] - mondays[0]).days // 7 + 1)]
    assert code == 0 and set(mondays) <= set(weeks) <= set(every)
    assert weeks == {
        m: sum(1 for it in mentioning if it.day and m <= it.day < m + timedelta(days=7)) for m in weeks
    }

    code, _, err = run(["timeline", "  "], capsys)
    assert code == 2 and "give words to count" in one_line(err)
    code, _, err = run(["timeline", "the of"], capsys)
    assert code == 2 and "no words to look for" in one_line(err)
