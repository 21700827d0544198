"""Encodings: a file's encoding is detected, whatever the format."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ingest.loaders import load_paths
from tests.ingest.loaders.samples import STORY, only_article, write


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("cp1251", lambda text: text.encode("cp1251")),
        ("koi8-r", lambda text: text.encode("koi8_r")),
        ("utf-8 with bom", lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
        ("utf-16 with bom", lambda text: text.encode("utf-16")),
    ],
)
def test_encodings_are_detected(tmp_path: Path, name: str, encode: Callable[[str], bytes]) -> None:
    article = only_article(load_paths([write(tmp_path, "story.txt", encode(STORY))]))

    assert article.title == "Тульский пряник получил статус бренда региона", name
    assert article.date == date(2026, 1, 10)
    assert article.text.startswith("ТУЛА, 10 января.")


def test_a_short_cp1251_record_file_is_read_as_cp1251(tmp_path: Path) -> None:
    path = write(tmp_path, "short.csv", "id;text\nn1;Привет\n".encode("cp1251"))

    article = only_article(load_paths([path]))

    assert (article.id, article.text) == ("n1", "Привет")
