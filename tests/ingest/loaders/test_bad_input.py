"""Bad input is reported with the file and the reason, never dropped silently: binary, empty, unreadable,
missing or unsupported files, unparseable dates, duplicate ids."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from ingest.loaders import load_paths
from retrieval.records import Problem
from tests.ingest.loaders.samples import STORY, jsonl, only_article, write


def test_binary_files_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    write(tmp_path, "noise.txt", bytes(range(1, 256)) * 8)

    result = load_paths([tmp_path])

    assert result.articles == []
    assert result.skipped == [Problem("image.txt", "binary file"), Problem("noise.txt", "binary file")]


def test_empty_files_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"")
    write(tmp_path, "b.jsonl", "\n  \n")
    write(tmp_path, "c.md", codecs.BOM_UTF8 + b"\r\n")

    result = load_paths([tmp_path])

    assert result.articles == []
    assert result.skipped == [Problem(name, "empty file") for name in ("a.txt", "b.jsonl", "c.md")]


def test_a_file_without_records_is_reported(tmp_path: Path) -> None:
    result = load_paths([write(tmp_path, "empty-list.json", "[]")])

    assert result.skipped == [Problem("empty-list.json", "no articles in file")]


def test_unparseable_date_is_a_warning_and_the_article_is_kept(tmp_path: Path) -> None:
    content = jsonl({"id": "x", "date": "когда-то давно", "text": "Текст."})
    result = load_paths([write(tmp_path, "dates.jsonl", content)])

    article = only_article(result)
    assert (article.id, article.date) == ("x", None)
    assert result.warnings == [
        Problem("dates.jsonl:1", "date 'когда-то давно' not understood; ingested without a date")
    ]


def test_a_file_that_vanished_is_reported_with_the_os_error(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    write(tmp_path, "here.txt", STORY)

    result = load_paths([tmp_path])

    assert [article.id for article in result.articles] == ["here.txt"]
    assert result.skipped == [Problem("gone.txt", "cannot read: no such file or directory")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_reported_with_the_os_error(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", STORY)
    path.chmod(0)
    try:
        result = load_paths([tmp_path])
    finally:
        path.chmod(0o644)

    assert result.skipped == [Problem("secret.txt", "cannot read: permission denied")]


def test_unsupported_files_are_reported_and_hidden_ones_ignored(tmp_path: Path) -> None:
    write(tmp_path, "photo.jpg", b"\xff\xd8\xff")
    write(tmp_path, "README", "notes")
    write(tmp_path, ".DS_Store", b"\x00\x01")
    write(tmp_path, ".git/HEAD.txt", "ref: refs/heads/main")
    write(tmp_path, "story.TXT", STORY)

    result = load_paths([tmp_path])

    assert [article.id for article in result.articles] == ["story.TXT"]
    assert result.skipped == [
        Problem("README", "unsupported file type (no suffix)"),
        Problem("photo.jpg", "unsupported file type .jpg"),
    ]


def test_a_missing_path_argument_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    result = load_paths([missing, write(tmp_path, "story.txt", STORY)])

    assert [article.id for article in result.articles] == ["story.txt"]
    assert result.skipped == [Problem(str(missing), "no such file or directory")]


def test_duplicate_ids_keep_the_first_and_report_both_places(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl", jsonl({"id": "same", "text": "Первый."}, {"id": "same", "text": "Второй."}))
    write(tmp_path, "b/c.jsonl", jsonl({"url": "https://example.org/1", "text": "Третий."}))
    write(tmp_path, "b/d.json", json.dumps({"link": "https://example.org/1", "text": "Четвёртый."}))

    result = load_paths([tmp_path])

    assert [(article.id, article.text) for article in result.articles] == [
        ("same", "Первый."),
        ("https://example.org/1", "Третий."),
    ]
    assert result.skipped == [
        Problem("a.jsonl:2", "duplicate id 'same', already loaded from a.jsonl:1"),
        Problem("b/d.json", "duplicate id 'https://example.org/1', already loaded from b/c.jsonl:1"),
    ]
