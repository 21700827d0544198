"""Nearly-UTF-8 files: UTF-8 but for a few bytes is UTF-8, kept with a warning; legacy code pages stay."""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

import pytest

from ingest.loaders import load_paths
from retrieval.records import Article, LoadResult, Problem

CAFE = (
    "Café owners — “finally” open their terraces\n"
    "\n"
    "Café owners in Lyon say the terraces are open again — “finally”, one of them said. "
    "The crème brûlée is back on the menu, and the façades have been repainted.\n"
)
PRYANIK = (
    "Тульский пряник получил статус бренда региона\n"
    "\n"
    "ТУЛА, 10 января. Тульский пряник официально стал региональным брендом. Решение приняли на "
    "заседании областного правительства; производители говорят, что «наконец» смогут защитить рецепт.\n"
)


def one_article(result: LoadResult) -> Article:
    assert result.skipped == []
    assert len(result.articles) == 1
    return result.articles[0]


def damaged(text: str | bytes, at: str, bad: bytes, *, drop: int = 0) -> tuple[bytes, int]:
    """``text`` in UTF-8 with ``bad`` put in before ``at`` (``drop`` bytes of ``at`` left out), and the
    byte offset where the damage starts."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    offset = data.index(at.encode("utf-8"))
    return data[:offset] + bad + data[offset + drop :], offset


def replaced(count: int, offset: int) -> str:
    noun = "1 byte" if count == 1 else f"{count} bytes"
    return f"{noun} not valid UTF-8 replaced with U+FFFD, the first at byte offset {offset}"


def test_an_english_article_with_one_stray_byte_is_utf8_and_a_warning_says_where(tmp_path: Path) -> None:
    data, offset = damaged(CAFE, " one of them", b"\x92")  # a Windows-1252 apostrophe pasted in
    (tmp_path / "cafe.txt").write_bytes(data)

    result = load_paths([tmp_path])

    article = one_article(result)
    assert article.title == "Café owners — “finally” open their terraces"
    assert "again — “finally”,\ufffd one of them said. The crème brûlée" in article.text
    assert "√" not in article.text + article.title and "‚Äî" not in article.text
    assert result.warnings == [Problem("cafe.txt", replaced(1, offset))]


def test_a_russian_article_with_a_letter_cut_in_half_is_kept_not_called_binary(tmp_path: Path) -> None:
    data, offset = damaged(PRYANIK, "официально", b"\xd0", drop=2)  # "о" lost its second byte
    (tmp_path / "pryanik.txt").write_bytes(data)

    result = load_paths([tmp_path])

    article = one_article(result)
    assert article.title == "Тульский пряник получил статус бренда региона"
    assert "пряник \ufffdфициально стал региональным брендом" in article.text
    assert result.warnings == [Problem("pryanik.txt", replaced(1, offset))]


def test_several_invalid_bytes_are_counted_and_the_first_is_located(tmp_path: Path) -> None:
    data, first = damaged(PRYANIK, "января", b"\xff\xfe")
    data, _ = damaged(data, "говорят", b"\x80")
    (tmp_path / "twice.txt").write_bytes(data)

    result = load_paths([tmp_path])

    assert "10 \ufffd\ufffdянваря" in one_article(result).text
    assert result.warnings == [Problem("twice.txt", replaced(3, first))]


def test_with_a_bom_the_offset_counts_from_the_start_of_the_file(tmp_path: Path) -> None:
    data, offset = damaged(CAFE, "Lyon", b"\xe9")
    (tmp_path / "bom.txt").write_bytes(codecs.BOM_UTF8 + data)

    result = load_paths([tmp_path])

    assert "Café owners in \ufffdLyon" in one_article(result).text
    assert result.warnings == [Problem("bom.txt", replaced(1, offset + len(codecs.BOM_UTF8)))]


def test_records_around_a_damaged_line_are_all_loaded(tmp_path: Path) -> None:
    lines = [
        '{"id": "a", "title": "Кафе", "text": "Кафе открылись снова — «наконец»."}',
        '{"id": "b", "title": "Café", "text": "Café owners — “finally” — opened."}',
        '{"id": "c", "title": "Пряник", "text": "Тульский пряник стал брендом."}',
    ]
    data, offset = damaged("\n".join(lines) + "\n", "opened", b"\xc3")
    (tmp_path / "news.jsonl").write_bytes(data)

    result = load_paths([tmp_path])

    assert [a.id for a in result.articles] == ["a", "b", "c"]
    assert result.articles[1].text == "Café owners — “finally” — \ufffdopened."
    assert result.warnings == [Problem("news.jsonl", replaced(1, offset))]


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1251", PRYANIK),
        ("koi8_r", PRYANIK.replace("«", '"').replace("»", '"')),
        ("cp866", PRYANIK.replace("«", '"').replace("»", '"')),
        ("cp1252", CAFE),
    ],
)
def test_legacy_code_pages_are_still_read_as_themselves(tmp_path: Path, encoding: str, text: str) -> None:
    (tmp_path / "legacy.txt").write_bytes(text.encode(encoding))

    result = load_paths([tmp_path])

    article = one_article(result)
    assert article.title + "\n\n" + article.text + "\n" == text
    assert result.warnings == []


def test_a_binary_file_is_still_binary(tmp_path: Path) -> None:
    (tmp_path / "noise.txt").write_bytes(bytes(range(128, 256)) * 16)
    (tmp_path / "bom-noise.txt").write_bytes(codecs.BOM_UTF8 + bytes(range(128, 256)) * 16)

    result = load_paths([tmp_path])

    assert result.articles == []
    assert result.skipped == [Problem("bom-noise.txt", "binary file"), Problem("noise.txt", "binary file")]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_a_russian_article_with_a_stray_nul_is_read_without_it(tmp_path: Path, encoding: str) -> None:
    data = PRYANIK.encode(encoding)
    offset = data.index("официально".encode(encoding))
    (tmp_path / "pryanik.txt").write_bytes(data[:offset] + b"\x00" + data[offset:])

    result = load_paths([tmp_path])

    article = one_article(result)
    assert article.title + "\n\n" + article.text + "\n" == PRYANIK
    assert result.warnings == [
        Problem("pryanik.txt", f"1 NUL byte dropped from the text, the first at byte offset {offset}")
    ]


def test_binaries_with_nul_bytes_are_still_binary(tmp_path: Path) -> None:
    (tmp_path / "packed.txt").write_bytes(gzip.compress(PRYANIK.encode("utf-8") * 200, mtime=0))
    (tmp_path / "utf16.txt").write_bytes(PRYANIK.encode("utf-16-le"))  # no BOM: a NUL in every other byte
    (tmp_path / "table.txt").write_bytes(b"\x00\x00\x00\x01\x00\x00\x00\x02" * 64 + PRYANIK.encode("utf-8"))

    result = load_paths([tmp_path])

    assert result.articles == []
    assert result.skipped == [Problem(n, "binary file") for n in ("packed.txt", "table.txt", "utf16.txt")]
