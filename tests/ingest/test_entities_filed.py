"""Ingestion files the people, organisations and places of each article in the entity index, and keeps
the index current through an edit, a prune and a rebuild (real recogniser, embedded Chroma)."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import Ingestion
from retrieval.entities.index import entity_id
from retrieval.entities.lookup import resolve
from retrieval.store.chunks import ChunkStore
from tests.support.hashing import HashingEmbeddings

PUTIN = entity_id("person", "владимир путин")
PESKOV = entity_id("person", "дмитрий песков")


def write(folder: Path, name: str, day: str, headline: str, text: str) -> None:
    (folder / name).write_text(f"{headline}\n{day}\n\n{text}\n", encoding="utf-8")


def ingest(store: ChunkStore, tmp_path: Path, folder: Path, **kw: bool) -> None:
    Ingestion(store, HashingEmbeddings(), lock_dir=tmp_path / "locks").run([folder], **kw)  # type: ignore[arg-type]


def test_ingestion_files_entities_and_keeps_them_current(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    write(folder, "a.txt", "2025-01-15", "Встреча в Кремле", "Владимир Путин встретился с Дмитрием Песковым.")
    write(folder, "b.txt", "2025-02-03", "Заявление", "Дмитрий Песков заявил, что Владимир Путин ответит.")
    write(folder, "c.txt", "2025-02-20", "Визит", "Владимира Путина встретили в Минске.")
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    ingest(store, tmp_path, folder)
    index = store.collections.entities()

    found = resolve("Putin", index.candidates("Putin"))
    assert found is not None and found.meant == PUTIN
    assert sorted(r[0] for r in index.articles(PUTIN)) == sorted(store.articles())
    assert index.entities([PESKOV])[PESKOV].months == {"202501": 1, "202502": 1}

    write(folder, "b.txt", "2025-02-03", "Заявление", "Пресс-секретарь промолчал.")  # an edit: no names
    (folder / "c.txt").unlink()
    ingest(store, tmp_path, folder, prune=True)
    assert index.entities([PESKOV])[PESKOV].months == {"202501": 1}
    assert [r[0] for r in index.articles(PUTIN)] == [a for a in store.articles() if a.endswith("a.txt")]

    ingest(store, tmp_path, folder, rebuild=True)
    index = store.collections.entities()
    assert index.entities([PUTIN])[PUTIN].articles == 1
