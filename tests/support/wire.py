"""A wire story run by three outlets at different hours of different days, beside articles that are no
copy of it, written as JSON lines for ingestion (the pickup of a story: ``newsbot story``, 📰).

- ``wire-first``  Пример-Новости, 2026-01-06 07:40: the story first;
- ``wire-second`` Вести-Пример,   2026-01-07 13:15: the same text, a day later (+24 h: the store keeps days);
- ``wire-third``  Север-Пример,   2026-01-09 22:05: three days after the first (+72 h);
- ``talks-preview`` Телеграф-Пример, 2026-01-05: the same talks in its own words, within three days of
  the first: active around the story, and it never ran it (absent);
- ``hockey`` Спорт-Пример, 2026-01-20: outside the window (not absent);
- ``no-outlet``, 2026-01-06, without an outlet (never named absent).

The copies are written last first, so that which came first is read from their dates, not from the
order of ingestion.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import NewsEmbeddings
from retrieval.settings import load_settings
from tests.support import reprints

FIRST, SECOND, THIRD = "wire-first", "wire-second", "wire-third"
PREVIEW, HOCKEY, NO_OUTLET = "talks-preview", "hockey", "no-outlet"
QUERY = "гарантии безопасности для Украины присутствие американских войск"
"""Words of the wire story (the preview names the talks, not the guarantees)."""


def records() -> list[dict[str, str | None]]:
    story = reprints.original()
    preview = reprints.preview()

    def copy(aid: str, when: str, outlet: str, url: str) -> dict[str, str | None]:
        return {
            "id": aid,
            "title": story.title,
            "date": when,
            "url": url,
            "source": outlet,
            "text": story.text,
        }

    return [
        copy(THIRD, "2026-01-09T22:05:00", "Север-Пример", "https://sever.example/2026/01/09/guarantees"),
        copy(SECOND, "2026-01-07T13:15:00", "Вести-Пример", "https://vesti.example/world/guarantees"),
        copy(FIRST, "2026-01-06T07:40:00", "Пример-Новости", "https://example.org/a/paris-talks"),
        {
            "id": PREVIEW,
            "title": preview.title,
            "date": "2026-01-05",
            "url": preview.url,
            "source": preview.source,
            "text": preview.text,
        },
        {
            "id": HOCKEY,
            "title": "«Сокол» обыграл «Буран» в овертайме",
            "date": "2026-01-20",
            "url": "https://sport.example/hockey/sokol-buran",
            "source": "Спорт-Пример",
            "text": "Хоккеисты «Сокола» обыграли «Буран» со счётом 3:2 в овертайме. Решающую шайбу забросил "
            "капитан команды на второй минуте дополнительного времени.",
        },
        {
            "id": NO_OUTLET,
            "title": "Мороз в Туле",
            "date": "2026-01-06",
            "url": None,
            "source": None,
            "text": "В Туле ударил мороз до минус двадцати пяти градусов. Синоптики ждут потепления.",
        },
    ]


def write(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records()), encoding="utf-8")
    return path


def ingest(data_dir: Path, embeddings: NewsEmbeddings) -> Path:
    """``data_dir`` with these articles in its store, ingested through the real pipeline."""
    path = write(data_dir / "in" / "wire.jsonl")
    report = Ingestion(
        open_store(load_settings(data_dir=data_dir)), embeddings, lock_dir=data_dir / "locks"
    ).run([path])
    assert report.added == len(records()), report
    return data_dir
