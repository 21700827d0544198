"""The archive's statistics in the store against a recount from scratch, after every kind of ingestion.

The expected figures come from the articles the test writes (chunked by the pure chunker), never from
the store: document frequencies of every term (stems and consonant name keys), totals, chunks per day,
articles per outlet and the background moments of the stored vectors.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest.chunking import ChunkingConfig, chunk_article
from ingest.pipeline import Ingestion, article_version
from retrieval.records import Article, ArticleInfo, day_number
from retrieval.store.chunks import ArticleWrite, ChunkStore
from retrieval.store.figures import Figures
from retrieval.store.removal import Removal
from retrieval.store.shapes import chunk_id
from retrieval.store.statistics import chunk_terms
from retrieval.terms import KEY_PREFIX, name_keys
from tests.support.hashing import HashingEmbeddings
from tests.support.records import chunk_records

LONG = (
    "Правительство утвердило программу ремонта дорог на три года. "
    "В первую очередь отремонтируют трассы между областными центрами. "
    "Министр транспорта Виталий Савельев сказал, что работы начнутся весной. "
    "Подрядчиков выберут на открытых торгах, итоги подведут в марте.\n\n"
    "Особое внимание уделят мостам: более двухсот из них признаны аварийными. "
    "На их ремонт выделят отдельное финансирование из федерального бюджета. "
    "Региональные власти должны до конца года подать заявки на участие.\n\n"
    "Эксперты отмечают, что стоимость асфальта за год выросла на двенадцать процентов. "
    "Это может потребовать пересмотра смет уже в ходе работ. "
    "В Ассоциации строителей считают, что сроки программы реалистичны."
)

ARTICLES: dict[str, list[dict[str, Any]]] = {
    "wire.jsonl": [
        {
            "id": "roads",
            "title": "Программа ремонта дорог",
            "date": "2025-11-03",
            "source": "Лента-Пример",
            "text": LONG,
        },
        {
            "id": "frost",
            "title": "Морозы в Москве",
            "date": "2025-11-03",
            "source": "Лента-Пример",
            "text": "В Москве ударили морозы до минус двадцати, синоптики ждут потепления к выходным.",
        },
        {
            "id": "rate",
            "title": "Ставка ЦБ",
            "date": "2025-11-10",
            "source": "Экономика-Пример",
            "text": "Банк России сохранил ключевую ставку на уровне 16,5% годовых, сообщила "
            "Эльвира Набиуллина.",
        },
    ],
    "sport.jsonl": [
        {
            "id": "hockey",
            "title": "Хоккей",
            "date": "2025-11-12",
            "source": "Спорт-Пример",
            "text": "Хоккеисты «Авангарда» обыграли «Трактор» со счётом 4:1, шайбу забросил Квартальнов.",
        },
        {
            "id": "chess",
            "title": "Шахматный турнир",
            "date": "2025-11-12",
            "source": "Спорт-Пример",
            "text": "Гроссмейстер Непомнящий выиграл турнир в Дубае, опередив Гукеша на пол-очка.",
        },
    ],
}
# "Набиуллина" (and its key "~нблн") and "сохранил" occur nowhere else: their counts must drop to 0
EDITED_RATE = "Банк России снизил ключевую ставку до 16% годовых; решение объяснила Ксения Юдаева."


def write_folder(root: Path, files: dict[str, list[dict[str, Any]]]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name, records in files.items():
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def as_articles(files: dict[str, list[dict[str, Any]]]) -> list[Article]:
    return [
        Article(
            id=r["id"],
            title=r["title"],
            text=r["text"],
            date=date.fromisoformat(r["date"]),
            source=r["source"],
        )
        for records in files.values()
        for r in records
    ]


def all_terms(articles: Iterable[Article]) -> set[str]:
    return {t for a in articles for c in chunk_article(a) for t in chunk_terms(c.text)[0]}


def check_figures(store: ChunkStore, articles: Sequence[Article], ever_seen: set[str]) -> None:
    """The store's figures equal a recount over ``articles``; every term ever seen but no longer in
    any visible chunk has no count."""
    chunks = [c for a in articles for c in chunk_article(a)]
    df: Counter[str] = Counter()
    tokens = 0
    for c in chunks:
        terms, n = chunk_terms(c.text)
        df.update(terms)
        tokens += n
    assert df, "the recount found no terms at all"
    terms = sorted(ever_seen | set(df))
    stored = store.document_frequencies(terms)
    assert {t: stored.get(t, 0) for t in terms} == {t: df.get(t, 0) for t in terms}

    stats = store.archive_stats()
    assert (stats.articles, stats.chunks, stats.tokens) == (len(articles), len(chunks), tokens)
    assert stats.days == dict(Counter(day_number(c.date) for c in chunks if c.date is not None))
    assert stats.sources == dict(Counter(a.source or "" for a in articles))

    versions = store.versions([a.id for a in articles])
    ids = [chunk_id(c.article_id, versions[c.article_id], c.index) for c in chunks]
    got = store.chunks(ids, vectors=True)
    assert [got[i].chunk.text for i in ids] == [c.text for c in chunks]
    vectors = np.stack([np.asarray(got[i].vector, dtype=np.float64) for i in ids])
    assert stats.moments is not None and stats.moments.count == len(chunks)
    mean, cov = stats.moments.mean_and_covariance()
    np.testing.assert_allclose(mean, vectors.mean(axis=0), atol=1e-5)
    np.testing.assert_allclose(cov, np.cov(vectors, rowvar=False, bias=True), atol=1e-5)


def test_figures_match_a_recount_after_ingest_update_prune_and_rebuild(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    files = {name: [dict(r) for r in records] for name, records in ARTICLES.items()}
    write_folder(root, files)
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    emb = HashingEmbeddings()

    def ingest(**kw: bool) -> None:
        report = Ingestion(store, emb, lock_dir=tmp_path / "locks").run([root], **kw)
        assert not report.skipped and not report.warnings

    ingest()
    articles = as_articles(files)
    assert len(chunk_article(articles[0])) >= 3  # one article of several chunks
    seen = all_terms(articles)
    check_figures(store, articles, seen)

    # update: one article's text changes; the old version's own terms are counted out
    files["wire.jsonl"][2]["text"] = EDITED_RATE
    write_folder(root, files)
    ingest()
    old_only = {"набиуллин", KEY_PREFIX + "нблн", "сохран"}
    assert old_only <= seen
    articles = as_articles(files)
    assert not old_only & all_terms(articles)
    seen |= all_terms(articles)
    check_figures(store, articles, seen)
    assert store.document_frequencies(sorted(old_only)) == {}

    # prune: a removed file's articles (one chunk each) take their terms with them
    gone = all_terms(as_articles({"sport.jsonl": files["sport.jsonl"]})) - all_terms(
        as_articles({"wire.jsonl": files["wire.jsonl"]})
    )
    assert {"непомня", KEY_PREFIX + "нпмн", "гукеш", "шайб"} <= gone
    (root / "sport.jsonl").unlink()
    del files["sport.jsonl"]
    ingest(prune=True)
    articles = as_articles(files)
    check_figures(store, articles, seen)
    assert store.document_frequencies(sorted(gone)) == {}
    assert "Спорт-Пример" not in store.archive_stats().sources

    # rebuild: afresh, the same figures
    ingest(rebuild=True)
    check_figures(store, articles, seen)


def test_figures_describe_the_new_version_when_the_old_ones_deletion_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "archive"
    files = {name: [dict(r) for r in records] for name, records in ARTICLES.items()}
    write_folder(root, files)
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    emb = HashingEmbeddings()
    Ingestion(store, emb, lock_dir=tmp_path / "locks").run([root])
    before = as_articles(files)
    seen = all_terms(before)
    old_version = store.versions(["rate"])["rate"]
    old_ids = [chunk_id("rate", old_version, c.index) for c in chunk_article(before[2])]
    old_key = KEY_PREFIX + "нблн"  # "Набиуллина": only in the old version
    assert old_key in name_keys(before[2].text)
    assert set(store.keyed([old_key], 10)) == set(old_ids)

    files["wire.jsonl"][2]["text"] = EDITED_RATE
    after = as_articles(files)
    edited = after[2]
    chunks = chunk_article(edited)
    version = article_version(edited, ChunkingConfig())
    info = ArticleInfo(
        id=edited.id,
        content_hash=version,
        chunks=len(chunks),
        title=edited.title,
        date=edited.date,
        source=edited.source,
    )
    write = ArticleWrite(info, chunks, emb.embed_passages([c.text for c in chunks]), str(root.resolve()))

    def crash(self: Removal, col: object, keep: object) -> None:
        raise RuntimeError("killed after the switch")

    with monkeypatch.context() as m:
        m.setattr(Removal, "delete_other_versions", crash)
        with pytest.raises(RuntimeError, match="killed after the switch"):
            store.write([write])

    # the switch happened: search sees the new version, and the figures describe it
    assert store.versions(["rate"]) == {"rate": version}
    seen |= all_terms(after)
    check_figures(store, after, seen)
    assert set(store.chunks(old_ids)) == set(old_ids)  # the old chunks are still there, invisible
    assert not set(old_ids) & {cid for cid, _ in store.visible_chunks()}  # search shows none of them
    expected_chunks = sum(len(chunk_article(a)) for a in after)
    assert chunk_records(store) == expected_chunks + len(old_ids)

    assert store.sweep() == 1
    assert store.chunks(old_ids) == {}
    assert store.keyed([old_key], 10) == {}
    assert chunk_records(store) == expected_chunks
    check_figures(store, after, seen)

    # and a later ingestion of the same files finds nothing to do and leaves the figures right
    write_folder(root, files)
    report = Ingestion(store, emb, lock_dir=tmp_path / "locks").run([root])
    assert (report.added, report.updated, report.unchanged) == (0, 0, len(after))
    check_figures(store, after, seen)


def test_figures_hold_with_term_deltas_pending_and_through_a_fold_killed_at_every_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write adds a term delta record instead of rewriting every term it touches; readers add the
    pending ones. Killing the fold that merges them into the term records after any of its store calls
    never counts a delta twice nor loses one."""
    root = tmp_path / "archive"
    files = {name: [dict(r) for r in records] for name, records in ARTICLES.items()}
    write_folder(root, files)
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    emb = HashingEmbeddings()

    def ingest(**kw: bool) -> None:
        with monkeypatch.context() as m:
            m.setattr(Figures, "fold", lambda self: None)
            report = Ingestion(store, emb, lock_dir=tmp_path / "locks", batch_size=2).run([root], **kw)
        assert not report.skipped and not report.warnings

    ingest()
    articles = as_articles(files)
    seen = all_terms(articles)
    assert len(store.archive_stats().pending) >= 2  # several writes, none folded
    check_figures(store, articles, seen)

    files["wire.jsonl"][2]["text"] = EDITED_RATE  # an edit: the old version's terms counted out
    write_folder(root, files)
    ingest()
    articles = as_articles(files)
    seen |= all_terms(articles)
    pending = store.archive_stats().pending
    check_figures(store, articles, seen)

    # the fold's store writes: term records, the statistics record, then the deletions
    from chromadb.api.models.Collection import Collection

    class Killed(Exception):
        pass

    writes = {"n": 0, "limit": 0}

    def killing(method: Any) -> Any:
        def call(self: Collection, *a: Any, **kw: Any) -> Any:
            writes["n"] += 1
            if writes["n"] > writes["limit"]:
                raise Killed
            return method(self, *a, **kw)

        return call

    for limit in range(10):
        writes.update(n=0, limit=limit)
        with monkeypatch.context() as m:
            m.setattr(Collection, "upsert", killing(Collection.upsert))
            m.setattr(Collection, "delete", killing(Collection.delete))
            m.setattr(Collection, "modify", killing(Collection.modify))
            try:
                store.fold()
            except Killed:
                pass
            else:
                break
        check_figures(store, articles, seen)
    else:
        pytest.fail("the fold never finished")
    assert limit >= 3  # it was killed after its term records, its statistics and its deletions
    assert not store.archive_stats().pending
    store.sweep()  # what a fold killed before its deletions left, the next ingestion's sweep deletes
    assert store.collections.articles().get(ids=list(pending))["ids"] == []
    check_figures(store, articles, seen)


def test_a_write_larger_than_a_chroma_batch_switches_each_group_in_one_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chroma takes at most ``max_batch_size`` records a call, and only one call is all or nothing: a
    write of more articles is switched in groups, each group with its statistics in one upsert."""
    from chromadb.api.models.Collection import Collection

    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    emb = HashingEmbeddings()
    store.ensure(emb.model_id, emb.dim)
    monkeypatch.setattr(store.client, "get_max_batch_size", lambda: 6)
    switches: list[list[str]] = []
    real_upsert = Collection.upsert

    def recording(self: Collection, ids: Any, *a: Any, **kw: Any) -> Any:
        if "stats" in ids:
            switches.append([i for i in ids if i.startswith("a:")])
        return real_upsert(self, ids, *a, **kw)

    monkeypatch.setattr(Collection, "upsert", recording)
    articles = [
        Article(id=f"n{i}", title=f"Новость {i}", text=f"Событие номер {i} произошло в городе Тверь.")
        for i in range(10)
    ]
    writes = []
    for a in articles:
        chunks = chunk_article(a)
        info = ArticleInfo(a.id, article_version(a, ChunkingConfig()), len(chunks), a.title, a.date)
        writes.append(ArticleWrite(info, chunks, emb.embed_passages([c.text for c in chunks])))
    assert store.write(writes) == 10
    assert [len(s) for s in switches] == [4, 4, 2]  # 6 a call: the statistics, the delta, 4 articles
    assert sorted(i for s in switches for i in s) == sorted(f"a:n{i}" for i in range(10))
    store.fold()
    check_figures(store, articles, all_terms(articles))
