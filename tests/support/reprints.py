"""One story told by several outlets, built from the sample archive's Paris talks article.

- the original (``paris-original``, outlet ``Пример-Новости``);
- a reprint from another outlet (``paris-reprint``, ``Вести-Пример``), a day later: an edited headline,
  the photo credit and the last paragraph cut, a sentence reworded;
- a distinct article on the same event (``paris-preview``, ``Телеграф-Пример``): the same talks, names
  and place, told in its own words; it must stay apart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from bot.wiring import open_store
from ingest.loaders import load_paths
from ingest.pipeline import Ingestion
from retrieval.embeddings import NewsEmbeddings
from retrieval.records import Article
from retrieval.settings import load_settings
from tests.conftest import SAMPLE

ORIGINAL, REPRINT, PREVIEW = "paris-original", "paris-reprint", "paris-preview"
QUERY = "Уиткофф Кушнер переговоры в Париже"


def paris_talks() -> Article:
    (article,) = load_paths([SAMPLE / "paris-talks.txt"]).articles
    return article


def original() -> Article:
    a = paris_talks()
    return Article(ORIGINAL, a.title, a.text, a.date, "https://example.org/a/paris-talks", "Пример-Новости")


def reprint() -> Article:
    """The original as another outlet ran it."""
    a = paris_talks()
    paragraphs = [p for p in a.text.split("\n\n") if p.strip() and not p.startswith("Войска США. Фото")]
    paragraphs = paragraphs[:-1]  # the last paragraph trimmed
    paragraphs[1] = paragraphs[1].replace(
        "Как сообщает Bloomberg со ссылкой на источники", "По данным Bloomberg"
    )
    return Article(
        REPRINT,
        "Гарантии для Украины обсудят в Париже с участием США",
        "\n\n".join(paragraphs),
        (a.date or date(2026, 1, 6)) + timedelta(days=1),
        "https://vesti.example/world/paris-guarantees",
        "Вести-Пример",
    )


def preview() -> Article:
    """Another article on the same talks, not a copy."""
    return Article(
        PREVIEW,
        "В Париже пройдёт встреча по Украине",
        "Во вторник в Париже начнётся встреча лидеров Европы по Украине. Принимающей стороной станет "
        "Елисейский дворец.\n\nОт Вашингтона приедут Стив Уиткофф и Джаред Кушнер, сообщили дипломаты. "
        "Журналистов на переговоры не пустят, итоги обещают объявить на пресс-конференции.",
        date(2026, 1, 5),
        "https://telegraf.example/paris-meeting",
        "Телеграф-Пример",
    )


def write_jsonl(path: Path, articles: Sequence[Article]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for a in articles:
            record = {
                "id": a.id,
                "title": a.title,
                "date": a.date.isoformat() if a.date else None,
                "url": a.url,
                "source": a.source,
                "text": a.text,
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def ingest_story(data_dir: Path, embeddings: NewsEmbeddings, *more: Path) -> Path:
    """``data_dir`` with the original, the reprint (one story) and the preview (another) in its store,
    and the articles of ``more`` files."""
    path = write_jsonl(data_dir / "in" / "paris.jsonl", [original(), reprint(), preview()])
    settings = load_settings(data_dir=data_dir)
    report = Ingestion(open_store(settings), embeddings, lock_dir=data_dir / "locks").run([*more, path])
    assert report.added >= 3, report
    return data_dir
