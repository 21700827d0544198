"""Dates at the edges of the calendar, as a user meets them: a typed date out of range is one clear line
(exit 2 on the command line, a reply in the bot), an article's impossible date is reported at ingestion
and kept out, and a store that holds such dates from before still counts, searches and charts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.records import Article
from retrieval.settings import load_settings
from tests.bot.conftest import TOKEN, bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator, User
from tests.support.cli import one_line, run

IN_RANGE = "is out of range (1800-01-01 to 2999-12-31)"
WITKOFF = "Уиткофф прилетел в Париж на переговоры о гарантиях безопасности."


# -- dates a person types --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["timeline", "Уиткофф", "--since", "9999-12-01"], f"--since 9999-12-01 {IN_RANGE}"),
        (["timeline", "Уиткофф", "--until", "0001-01-01"], f"--until 0001-01-01 {IN_RANGE}"),
        (["search", "Уиткофф", "--since", "31.12.9999"], f"--since 31.12.9999 (9999-12-31) {IN_RANGE}"),
        (
            ["ask", "Кто такой Уиткофф?", "--until", "December 9999"],
            f"--until December 9999 (9999-12-31) {IN_RANGE}",
        ),
        (
            ["timeline", "Уиткофф", "--since", "2026-02-01", "--until", "2026-01-01"],
            "--since 2026-02-01 is after --until 2026-01-01",
        ),
    ],
)
def test_a_typed_date_out_of_range_is_bad_usage_in_one_line(
    argv: list[str],
    line: str,
    sample_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(sample_data_dir))
    code, out, err = run(argv, capsys)
    assert code == 2
    assert one_line(err) == f"newsbot: error: {line}"
    assert out == "" and "Traceback" not in err


@pytest.fixture
def inline_emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN, inline_mode=True) as emulator:
        yield emulator


async def test_the_bot_answers_a_date_out_of_range_in_timeline_inline_and_follow(
    inline_emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    emu = inline_emu
    eva = User(401, "Eva", "eva")
    chat = emu.private_chat(eva)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        inline = await emu.inline_query_async(eva, "Уиткофф since:9999-12-01", timeout=30)
        emu.send_text(chat, eva, "/timeline Уиткофф since:9999-12-01")
        await emu.wait_for_messages_async(chat, 1, timeout=60)
        emu.send_text(chat, eva, "/follow Уиткофф until:01.01.0001")
        await emu.wait_for_messages_async(chat, 2, timeout=60)
        emu.send_text(chat, eva, "/search Уиткофф since:2026-02-01 until:2026-01-01")
        [timeline, follow, search] = await emu.wait_for_messages_async(chat, 3, timeout=60)
    assert inline.results == ()
    assert inline.button is not None and inline.button["text"] == f"⚠️ since:9999-12-01 {IN_RANGE}"
    assert timeline.text == f"⚠️ since:9999-12-01 {IN_RANGE}" and not timeline.photo
    assert follow.text == f"⚠️ until:01.01.0001 (0001-01-01) {IN_RANGE}"
    assert search.text == "⚠️ since:2026-02-01 is after until:2026-01-01"


# -- dates an article carries -----------------------------------------------------------------------


def test_an_impossible_article_date_is_reported_at_ingestion_and_kept_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [
        {"id": "future", "date": "9999-12-31", "text": WITKOFF},
        {"id": "ancient", "date": "0001-01-01", "text": WITKOFF},
        {"id": "early", "date": "1799-12-31", "text": WITKOFF},
        {"id": "fine", "date": "1800-01-01", "text": WITKOFF},
    ]
    (tmp_path / "in").mkdir()
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (tmp_path / "in" / "edge.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "data"))

    code, out, err = run(["ingest", str(tmp_path / "in")], capsys)

    assert code == 0, err
    assert "4 added" in out
    said = out + err
    assert "edge.jsonl:1: date '9999-12-31' is later than " in said
    assert ", a day after the day of ingestion; ingested without a date" in said
    assert "edge.jsonl:2: date '0001-01-01' is before 1800-01-01; ingested without a date" in said
    assert "edge.jsonl:3: date '1799-12-31' is before 1800-01-01; ingested without a date" in said
    assert "edge.jsonl:4" not in said

    code, out, err = run(["timeline", "Уиткофф"], capsys)
    assert code == 0, err
    assert out.startswith("Уиткофф: 4 articles, week of 1799-12-30 – week of 1799-12-30, by week\n")
    assert "undated: 3 of them" in out


@pytest.fixture(scope="module")
def legacy_data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    """A store ingested before article dates were checked: dated on the calendar's first and last days."""
    data_dir = tmp_path_factory.mktemp("calendar-edges")
    articles = [
        Article("last-day", "Уиткофф в последний день", WITKOFF, date.max, source="Край"),
        Article("first-day", "Уиткофф в первый день", WITKOFF, date.min, source="Край"),
        Article("paris", "Уиткофф в Париже", WITKOFF, date(2026, 1, 6), source="Пример"),
    ]
    settings = load_settings(data_dir=data_dir)
    report = Ingestion(open_store(settings), e5, lock_dir=data_dir / "locks").run_articles(articles, "edge")
    assert report.added == 3
    return data_dir


def test_a_store_holding_dates_at_the_calendars_edges_counts_and_searches(
    legacy_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(legacy_data_dir))
    code, out, err = run(["timeline", "Уиткофф"], capsys)
    assert code == 0, err
    assert out.startswith("Уиткофф: 3 articles, week of 2026-01-05 – week of 2026-01-05, by week\n")
    assert "undated: 2 of them" in out

    code, out, err = run(["timeline", "Уиткофф", "--since", "2026-01-01", "--json"], capsys)
    assert code == 0, err
    [got] = json.loads(out)  # a series per query
    assert (got["total"], got["undated"]) == (2, 1)  # 9999-12-31 is after 2026-01-01, but on no chart
    assert got["granularity"] == "week" and [p["count"] for p in got["periods"]] == [0, 1]

    code, out, err = run(["search", "Уиткофф", "--since", "2026-01-01"], capsys)
    assert code == 0, err
    assert "2026-01-06 — Пример — Уиткофф в Париже" in out and "Край (9999-12-31)" in out  # one story
    assert "Traceback" not in err


async def test_the_bot_charts_a_store_holding_dates_at_the_calendars_edges(
    legacy_data_dir: Path, e5: E5Embeddings
) -> None:
    with BotApiEmulator(token=TOKEN) as emu:
        ann = User(402, "Ann", "ann")
        chat = emu.private_chat(ann)
        async with running_bot(bot_settings(emu, legacy_data_dir), e5):
            emu.send_text(chat, ann, "/timeline Уиткофф")
            [chart] = await emu.wait_for_messages_async(chat, 1, timeout=60)
    assert chart.photo and chart.text.startswith("📈 Уиткофф: 3 articles\n")
    assert "Undated: 2 of them, not on the chart" in chart.text
