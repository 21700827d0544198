"""The name index: a key's record lists exactly the chunks of the visible archive that mention it, after
ingest, edit and removal; a posting list is capped; a lookup reads at most ``limit`` chunks."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from retrieval.records import ArticleInfo, Chunk
from retrieval.store import postings
from retrieval.store.chunks import ArticleWrite, ChunkStore
from retrieval.store.postings import POSTINGS_MAX, refiled
from retrieval.store.shapes import chunk_id
from retrieval.terms import name_keys
from tests.support.hashing import HashingEmbeddings

EMB = HashingEmbeddings()


def article(aid: str, paragraphs: list[str], version: str = "v1") -> ArticleWrite:
    chunks = [
        Chunk(aid, i, text, 0, len(text), f"Статья {aid}", date(2025, 3, 1), None, "Пример")
        for i, text in enumerate(paragraphs)
    ]
    info = ArticleInfo(aid, version, len(chunks), f"Статья {aid}", date(2025, 3, 1), "Пример")
    return ArticleWrite(info, chunks, EMB.embed_passages(paragraphs))


def index_of(store: ChunkStore) -> dict[str, set[str]]:
    """Key -> chunk ids, recounted from the visible chunks' texts."""
    out: dict[str, set[str]] = defaultdict(set)
    for cid, chunk in store.visible_chunks():
        for key in name_keys(chunk.text):
            out[key].add(cid)
    return dict(out)


def filed(store: ChunkStore) -> dict[str, set[str]]:
    """Key -> chunk ids, as the index holds them."""
    col = store.collections.postings().collection
    got = col.get(include=["metadatas"])
    return {
        rid[2:]: set(postings.posting_ids(m))
        for rid, m in zip(got["ids"], got["metadatas"] or [], strict=True)
    }


def test_the_index_lists_the_visible_chunks_after_ingest_edit_and_removal(tmp_path: Path) -> None:
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    store.ensure(EMB.model_id, EMB.dim)
    store.write(
        [
            article("a", ["Набиуллина сохранила ставку 21 процент.", "Уиткофф прилетел в Париж."]),
            article("b", ["Кушнер и Уиткофф встретились в Париже."]),
        ]
    )
    assert filed(store) == index_of(store)
    witkoff = sorted(k for k in name_keys("Уиткофф") if k in filed(store))
    assert witkoff and set(store.keyed(witkoff, 10)) == {chunk_id("a", "v1", 1), chunk_id("b", "v1", 0)}

    store.write([article("a", ["Набиуллина снизила ставку до 18 процентов."], version="v2")])
    assert filed(store) == index_of(store)
    assert set(store.keyed(witkoff, 10)) == {chunk_id("b", "v1", 0)}

    store.remove(["b"])
    assert filed(store) == index_of(store)
    assert store.keyed(witkoff, 10) == {}


def test_a_lookup_reads_at_most_limit_chunks_rarer_keys_first(tmp_path: Path) -> None:
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    store.ensure(EMB.model_id, EMB.dim)
    common = [f"Уиткофф выступил в Париже в {i}-й раз." for i in range(12)]
    store.write([article("many", common), article("one", ["Уиткофф и Кушнер обсудили Газу."])])
    kushner = sorted(k for k in name_keys("Кушнер") if k in filed(store))
    witkoff = sorted(k for k in name_keys("Уиткофф") if k in filed(store))
    got = store.keyed([*kushner, *witkoff], 5)
    assert len(got) == 5
    assert chunk_id("one", "v1", 0) in got  # the rarer key's chunk comes first
    assert set(kushner) <= got[chunk_id("one", "v1", 0)]


def test_a_posting_list_is_capped_and_keeps_its_ids_once() -> None:
    ids = [f"c{i}" for i in range(POSTINGS_MAX + 10)]
    assert refiled([], ids, []) == ids[:POSTINGS_MAX]
    assert refiled(["c1", "c2"], ["c2", "c3", "c3"], ["c1"]) == ["c2", "c3"]
    assert refiled(ids[:POSTINGS_MAX], ["new"], ["c0"]) == [*ids[1:POSTINGS_MAX], "new"]


def test_an_emptied_key_loses_its_record(tmp_path: Path) -> None:
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    store.ensure(EMB.model_id, EMB.dim)
    store.write([article("a", ["Уиткофф прилетел в Париж."])])
    assert filed(store)
    store.remove(["a"])
    assert filed(store) == {}
    assert store.collections.postings().collection.count() == 0
