"""The month index against a recount, and date-filtered kNN against a brute-force ranking.

An archive of short articles spread over eighteen months (a few undated), ingested, edited (one article
moved to another month), pruned, killed half-way through a write and rebuilt. After each step every
month's collection holds exactly the visible dated chunks of that month, with their vectors; and a
date-filtered ``nearest`` returns what ranking every visible chunk in the filter by cosine similarity
returns, whether the range is served by the month index (whole months, a few days, two months, open
ends, an outlet) or by the chunk collection (a range over more months than the index serves), and for
an archive written before the month index existed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest.pipeline import Ingestion
from retrieval.records import ArticleInfo, SearchFilters, day_number
from retrieval.store.chunks import ArticleWrite, ChunkStore
from retrieval.store.figures import Figures
from retrieval.store.months import MAX_MONTHS, month_of
from retrieval.store.schema import is_month_collection
from tests.support.cli import run
from tests.support.hashing import HashingEmbeddings
from tests.support.writes import one_chunk

OUTLETS = ("Лента-Пример", "Мир-Пример", "Спорт-Пример")
TOPICS = (
    "переговоры о перемирии продолжатся в Женеве на следующей неделе",
    "урожай пшеницы на Ставрополье оказался рекордным для края",
    "хоккеисты обыграли соперников в овертайме со счётом три два",
    "центральный банк сохранил ключевую ставку и предупредил об инфляции",
    "в музее открылась выставка картин передвижников из частных собраний",
)
FIRST_DAY = date(2024, 1, 5)


def records(count: int = 90) -> list[dict[str, Any]]:
    """``count`` articles every six days from FIRST_DAY (18 months), every tenth undated."""
    out = []
    for i in range(count):
        day = FIRST_DAY + timedelta(days=6 * i)
        text = "\n\n".join(
            f"{TOPICS[(i + j) % len(TOPICS)]}, сообщает корреспондент номер {i} в заметке {j}."
            for j in range(1 + i % 3)
        )
        out.append(
            {
                "id": f"a{i}",
                "title": f"Заметка {i}",
                "date": None if i % 10 == 9 else day.isoformat(),
                "source": OUTLETS[i % len(OUTLETS)],
                "text": text,
            }
        )
    return out


def write(root: Path, rows: list[dict[str, Any]]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    (root / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def visible(store: ChunkStore) -> dict[str, Any]:
    """Every visible chunk, by id, with its vector."""
    ids = [cid for cid, _ in store.visible_chunks()]
    return store.chunks(ids, vectors=True)


def month_records(store: ChunkStore) -> dict[int, dict[str, np.ndarray]]:
    """What each month collection holds: chunk id -> vector, by month."""
    out: dict[int, dict[str, np.ndarray]] = {}
    for col in store.client.list_collections():
        if is_month_collection(store.name, col.name):
            got = store.client.get_collection(col.name).get(include=["embeddings"])
            vectors = [np.asarray(v, dtype=np.float32) for v in got["embeddings"]]
            out[int(col.name[-6:])] = dict(zip(got["ids"], vectors, strict=True))
    return {month: held for month, held in out.items() if held}


def check_months(store: ChunkStore) -> None:
    expected: dict[int, dict[str, np.ndarray]] = defaultdict(dict)
    for cid, c in visible(store).items():
        if c.chunk.date is not None:
            expected[month_of(day_number(c.chunk.date))][cid] = c.vector
    assert expected, "the archive has no dated chunk"
    held = month_records(store)
    assert {m: sorted(ids) for m, ids in held.items()} == {m: sorted(ids) for m, ids in expected.items()}
    for month, ids in expected.items():
        for cid, vector in ids.items():
            np.testing.assert_allclose(held[month][cid], vector, atol=1e-6)


def test_the_month_index_matches_a_recount_after_ingest_edit_prune_crash_and_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, rows = tmp_path / "archive", records()
    write(root, rows)
    store = ChunkStore.open(None, tmp_path / "chroma", "news")

    def ingest(**options: bool) -> None:
        report = Ingestion(store, HashingEmbeddings(), lock_dir=tmp_path / "locks").run([root], **options)
        assert not report.skipped

    ingest()
    check_months(store)

    rows[3]["date"] = "2025-06-30"  # moved to another month, its text edited too
    rows[3]["text"] += " Дополнено."
    rows[4]["text"] += " Уточнено."  # the same month, a new version
    rows[9]["date"] = "2024-03-03"  # an undated article gets a date
    rows[10]["date"] = None  # a dated one loses it
    write(root, rows)
    ingest()
    check_months(store)

    write(root, rows[:60])  # the last thirty articles' file entries are gone
    ingest(prune=True)
    check_months(store)

    # a run killed after its new chunks were written and indexed, before the switch
    rows[5]["date"] = "2025-01-20"
    rows[5]["text"] += " Исправлено."
    write(root, rows[:60])
    with monkeypatch.context() as patched:

        def killed(*args: Any, **kwargs: Any) -> Any:
            raise KeyboardInterrupt

        patched.setattr(Figures, "delta_records", killed)
        with pytest.raises(KeyboardInterrupt):
            ingest()
    ingest()  # sweeps what the killed run left, then writes the edit
    check_months(store)

    ingest(rebuild=True)
    check_months(store)
    assert sorted(month_records(store)) == sorted(
        {month_of(day_number(date.fromisoformat(r["date"]))) for r in rows[:60] if r["date"]}
    )


def brute_force(store: ChunkStore, query: np.ndarray, n: int, filters: SearchFilters) -> list[float]:
    """The similarities of the ``n`` nearest chunks within ``filters`` (ids aside: articles of one
    topic tie)."""
    chunks = [c for c in visible(store).values() if filters.matches(c.chunk)]
    return sorted((float(np.asarray(c.vector) @ query) for c in chunks), reverse=True)[:n]


RANGES = {
    "a whole month": SearchFilters(date(2024, 3, 1), date(2024, 3, 31)),
    "a few days": SearchFilters(date(2024, 3, 4), date(2024, 3, 20)),
    "one day": SearchFilters(date(2024, 2, 4), date(2024, 2, 4)),
    "two months' ends": SearchFilters(date(2024, 4, 20), date(2024, 5, 10)),
    "since": SearchFilters(since=date(2025, 3, 1)),
    "until": SearchFilters(until=date(2024, 2, 15)),
    "a month and an outlet": SearchFilters(date(2024, 6, 1), date(2024, 6, 30), (OUTLETS[1],)),
    "days without articles": SearchFilters(date(2024, 1, 1), date(2024, 1, 4)),
    "more months than the index serves": SearchFilters(date(2024, 1, 1), date(2025, 3, 31)),
    "an outlet alone": SearchFilters(sources=(OUTLETS[2],)),
}


@pytest.mark.parametrize(
    "with_months", [True, False], ids=["month index", "none (NEWSBOT_MONTH_INDEX=false, or an older archive)"]
)
def test_a_date_filtered_kNN_returns_the_brute_force_ranking(tmp_path: Path, with_months: bool) -> None:
    # an archive created before the month index existed has no flag for it, and reads as one created
    # with NEWSBOT_MONTH_INDEX=false: filters in the chunk collection, writes no month index
    root = tmp_path / "archive"
    write(root, records())
    store = ChunkStore.open(None, tmp_path / "chroma", "news", month_index=with_months)
    emb = HashingEmbeddings()
    Ingestion(store, emb, lock_dir=tmp_path / "locks").run([root])
    assert bool(month_records(store)) == with_months
    stats = store.archive_stats()
    assert MAX_MONTHS < 15  # the range over fifteen months is served by the chunk collection
    for label, filters in RANGES.items():
        for question in ("переговоры в Женеве", "урожай пшеницы", "ключевая ставка"):
            query = emb.embed_question(question)
            got = store.nearest(query, 8, filters, stats=stats)
            assert all(filters.matches(c.chunk) for c in got), (label, question)
            similarities = [c.similarity or 0.0 for c in got]
            expected = brute_force(store, query, 8, filters)
            np.testing.assert_allclose(similarities, expected, atol=1e-5, err_msg=f"{label}: {question}")


@pytest.mark.parametrize(("setting", "kept"), [(None, True), ("false", False)])
def test_newsbot_month_index_decides_whether_a_new_archive_keeps_one(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    setting: str | None,
    kept: bool,
) -> None:
    write(tmp_path / "archive", records(2))
    if setting is not None:
        monkeypatch.setenv("NEWSBOT_MONTH_INDEX", setting)
    code, _, err = run(["ingest", str(tmp_path / "archive")], capsys)
    assert code == 0, err
    store = ChunkStore.open(None, tmp_path / "data" / "chroma", "news")
    assert bool(month_records(store)) == kept


@pytest.mark.parametrize("on_server", [False, True], ids=["embedded", "chroma run"])
def test_a_month_left_without_chunks_loses_its_collection_and_every_process_copes(
    tmp_path: Path, on_server: bool, request: pytest.FixtureRequest
) -> None:
    """Removing a month's last article deletes the month's collection. Another store handle that had
    fetched it (another process, or a bot replica) still answers a question on that month, and a
    write through a handle that kept the deleted collection makes the month again, found by both."""
    embeddings = HashingEmbeddings()
    url = request.getfixturevalue("chroma_server") if on_server else None
    name = "emptied" if on_server else "news"

    def article(aid: str, day: date) -> ArticleWrite:
        text = f"Заметка {aid}: переговоры о перемирии продолжатся в Женеве."
        return one_chunk(ArticleInfo(aid, "v1", 1, f"Заметка {aid}", day, OUTLETS[0]), text, embeddings)

    def months(store: ChunkStore) -> list[str]:
        return sorted(c.name for c in store.client.list_collections() if is_month_collection(name, c.name))

    february = SearchFilters(date(2026, 2, 1), date(2026, 2, 28))
    query = embeddings.embed_question("переговоры о перемирии")

    def found(store: ChunkStore) -> list[str]:
        return [c.chunk.article_id for c in store.nearest(query, 5, february)]

    writer = ChunkStore.open(url, tmp_path / "chroma", name)
    writer.ensure(embeddings.model_id, embeddings.dim)
    writer.write([article("jan", date(2026, 1, 10)), article("feb", date(2026, 2, 10))])
    reader = ChunkStore.open(url, tmp_path / "chroma", name)
    assert found(reader) == ["feb"]  # the reader keeps February's collection
    assert months(writer) == [f"{name}-m202601", f"{name}-m202602"]

    writer.remove(["feb"])
    assert months(writer) == [f"{name}-m202601"]
    assert found(reader) == []

    reader.write([article("feb2", date(2026, 2, 20))])  # through the collection it kept, deleted since
    assert months(writer) == [f"{name}-m202601", f"{name}-m202602"]
    assert found(reader) == found(writer) == ["feb2"]
