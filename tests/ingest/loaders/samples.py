"""What the loader tests share: a news story in the NEREL layout, writing a file, JSON lines, the one
article a file gives."""

from __future__ import annotations

import json
from pathlib import Path

from retrieval.records import Article, LoadResult

STORY = (
    "Тульский пряник получил статус бренда региона\n"
    "\n"
    "10/01/2026 14:05\n"
    "\n"
    "ТУЛА, 10 января. Тульский пряник официально стал региональным брендом.\n"
    "\n"
    "Решение приняли на заседании областного правительства."
)


def only_article(result: LoadResult) -> Article:
    assert result.skipped == []
    assert len(result.articles) == 1
    return result.articles[0]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
