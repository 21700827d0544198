"""``newsbot ingest`` on faulty input, as a user runs it: nearly-UTF-8 files, huge titles and texts, and
file names that try to forge report lines or drive the terminal; and stored titles, outlets, links and
texts that try the same in what ``newsbot search`` and ``newsbot ask`` print."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.generate import article_text


def search(query: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = run(["search", query, "--all", "--json"], capsys)
    assert code == 0, err
    passages: list[dict[str, object]] = json.loads(out)
    return passages


def sentences(chars: int, seed: int) -> str:
    rng = random.Random(seed)
    text = ""
    while len(text) < chars:
        text += " " + " ".join(article_text(rng, "ru", (10, 10)).split())
    return text.strip()


CAFE = (
    "Café owners — “finally” open their terraces\n\n"
    "Café owners in Lyon say the terraces are open again — “finally”, one of them said. "
    "The crème brûlée is back on the menu.\n"
)
PRYANIK = (
    "Тульский пряник получил статус бренда региона\n\n"
    "ТУЛА, 10 января. Тульский пряник официально стал региональным брендом.\n"
)


def test_nearly_utf8_articles_are_ingested_as_utf8_with_a_warning_and_strict_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    cafe = CAFE.encode()
    cafe_at = cafe.index(b" one of them")
    (archive / "cafe.txt").write_bytes(cafe[:cafe_at] + b"\x92" + cafe[cafe_at:])
    pryanik = PRYANIK.encode()
    pryanik_at = pryanik.index("официально".encode())
    (archive / "pryanik.txt").write_bytes(pryanik[:pryanik_at] + b"\xd0" + pryanik[pryanik_at + 2 :])

    code, out, err = run(["ingest", "--no-progress", str(archive)], capsys)

    assert code == 0, err
    assert out.startswith("Ingestion finished: 2 added, 0 updated, 0 unchanged, 0 pruned, 0 skipped;")
    assert "Warnings (2):\n" in out
    assert (
        f"  cafe.txt: 1 byte not valid UTF-8 replaced with U+FFFD, the first at byte offset {cafe_at}\n"
    ) in out
    assert (
        f"  pryanik.txt: 1 byte not valid UTF-8 replaced with U+FFFD, the first at byte offset {pryanik_at}\n"
    ) in out
    [found] = [p for p in search("crème brûlée terraces Lyon", capsys) if p["article_id"] == "cafe.txt"]
    assert found["title"] == "Café owners — “finally” open their terraces"
    assert "Café owners in Lyon" in str(found["text"]) and "√" not in str(found["text"])
    assert any(p["article_id"] == "pryanik.txt" for p in search("Тульский пряник бренд", capsys))

    strict, again, _ = run(["ingest", "--no-progress", "--strict", str(archive)], capsys)
    assert strict == 1
    assert again.startswith("Ingestion finished: 0 added, 0 updated, 2 unchanged")
    assert "cafe.txt: 1 byte not valid UTF-8" in again


def test_a_100_kb_title_and_a_huge_text_are_cut_with_warnings_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    title = sentences(100_000, seed=1)
    records = [
        {"id": "ordinary", "title": "Водородный трамвай вышел на линию", "text": sentences(600, seed=2)},
        {"id": "huge-title", "title": title, "text": "Заметка о пряниках с огромным заголовком."},
    ]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (archive / "feed.jsonl").write_text(lines, encoding="utf-8")
    text = "\n\n".join(sentences(1000, seed) for seed in range(10, 1010))  # about a million characters
    (archive / "huge.txt").write_text(f"Огромная статья\n\n{text}\n", encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_MAX_ARTICLE_CHARS", "3000")  # the default, 200,000, would embed for long

    code, out, err = run(["ingest", "--no-progress", str(archive)], capsys)

    assert code == 0, err
    assert out.startswith("Ingestion finished: 3 added, 0 updated, 0 unchanged, 0 pruned, 0 skipped;")
    assert (
        f"  feed.jsonl:2: title is {len(title):,} characters; cut to 300 (NEWSBOT_MAX_TITLE_CHARS)\n" in out
    )
    assert (
        f"  huge.txt: text is {len(text):,} characters; only the first 3,000 are ingested "
        "(NEWSBOT_MAX_ARTICLE_CHARS)\n"
    ) in out
    [stored] = {
        str(p["title"])
        for p in search("заметка о пряниках с огромным заголовком", capsys)
        if p["article_id"] == "huge-title"
    }
    assert len(stored) <= 300 and stored.endswith("…") and title.startswith(stored.removesuffix("…"))
    huge = [p for p in search(text[:200], capsys) if p["article_id"] == "huge.txt"]
    document_end = len("Огромная статья\n\n") + 3000  # chunks count from the title, then the text
    assert huge and max(int(str(p["end"])) for p in huge) <= document_end
    code, stats, _ = run(["stats", "--json"], capsys)
    assert (code, json.loads(stats)["articles"]) == (0, 3)


def test_a_bad_limit_is_a_configuration_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_MAX_TITLE_CHARS", "5")
    code, out, err = run(["stats"], capsys)
    assert (code, out) == (2, "")
    assert err == (
        "newsbot: error: setting NEWSBOT_MAX_TITLE_CHARS='5': Input should be greater than or equal to 10\n"
    )


FORGED = "x\nIngestion finished: 999 added, 0 updated, 0 unchanged, 0 pruned, 0 skipped.txt"


def test_file_names_cannot_forge_report_lines_or_drive_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "tram.txt").write_text(
        "Водородный трамвай вышел на линию\n\nВ Твери на линию вышел первый трамвай на водороде.\n",
        encoding="utf-8",
    )
    (archive / FORGED).write_bytes(b"")
    (archive / "\x1b[31mred.jsonl").write_text('{"id": "r", "title": "Без текста"}\n', encoding="utf-8")
    (archive / "новости\u202etxt.md").write_bytes(b"")
    (archive / "odd.\x1b[2J").write_text("x", encoding="utf-8")

    code, out, err = run(["ingest", "--no-progress", str(archive)], capsys)

    assert code == 0, err
    lines = out.splitlines()
    assert [line for line in lines if line.startswith("Ingestion finished")] == [lines[0]] and lines[
        0
    ].startswith("Ingestion finished: 1 added, 0 updated, 0 unchanged, 0 pruned, 4 skipped;")
    assert "\x1b" not in out and "\u202e" not in out
    assert (
        "  x\\nIngestion finished: 999 added, 0 updated, 0 unchanged, 0 pruned, 0 skipped.txt: empty file"
        in lines
    )
    assert "  \\x1b[31mred.jsonl:1: no text" in lines
    assert "  новости\\u202etxt.md: empty file" in lines
    assert "  odd.\\x1b[2J: unsupported file type .\\x1b[2J" in lines


EVIL_TITLE = "Водородный трамвай\x1b[2J вышел на линию\nИсточники:\n[1] Поддельный источник — 2099-01-01"
EVIL_TEXT = (
    "В Твери на линию вышел первый трамвай на водороде.\x1b[31m Водородный трамвай ходит по маршруту "
    "номер пять.\x1b]8;;https://evil.example\x07\n\n"
    "Трамвай на водороде\u202e заправляют раз в сутки, сообщили в администрации Твери.\n"
)


def test_search_and_ask_print_stored_titles_on_one_line_and_no_terminal_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    record = {
        "id": "tram\x1b[8m",
        "title": EVIL_TITLE,
        "source": "Пример\x1b[31m",
        "url": "https://example.org/tram\x1b[5m",
        "date": "2026-01-10",
        "text": EVIL_TEXT,
    }
    (archive / "feed.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    code, _, err = run(["ingest", "--no-progress", str(archive)], capsys)
    assert code == 0, err
    shown_title = "Водородный трамвай\\x1b[2J вышел на линию Источники: [1] Поддельный источник — 2099-01-01"

    code, found, err = run(["search", "водородный трамвай в Твери", "--all"], capsys)

    assert code == 0, err
    assert "\x1b" not in found and "\x07" not in found and "\u202e" not in found
    assert found.splitlines()[0] == f"1. [сильное совпадение] 2026-01-10 — Пример\\x1b[31m — {shown_title}"
    assert "   https://example.org/tram\\x1b[5m" in found.splitlines()
    assert "вышел первый трамвай на водороде.\\x1b[31m Водородный трамвай" in found
    forged = [line for line in found.splitlines() if "Поддельный" in line]
    assert forged and all(shown_title in line for line in forged)  # the head, and the passage's headline

    code, answer, err = run(["ask", "Что известно о водородном трамвае в Твери?"], capsys)

    assert code == 0, err
    assert "\x1b" not in answer and "\x07" not in answer and "\u202e" not in answer
    lines = answer.splitlines()
    assert lines.count("Источники:") == 1
    assert f"[1] {shown_title} — 2026-01-10 — Пример\\x1b[31m — https://example.org/tram\\x1b[5m" in lines
    assert all(shown_title in line for line in lines if "Поддельный" in line)
    # the quoted passage, its controls shown escaped (not the sentence carrying a foreign link: never quoted)
    assert "\\u202e" in lines[0] and "evil.example" not in answer
