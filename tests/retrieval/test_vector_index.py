"""Every collection of vectors searches its HNSW graph :data:`EF_SEARCH` wide (Chroma's default, 100,
returned 93% of the exact 50 nearest on the dev store), and ingestion widens those created before."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from retrieval.records import ArticleInfo
from retrieval.store.chunks import ChunkStore
from retrieval.store.opening import EF_SEARCH, search_width
from tests.support.hashing import HashingEmbeddings
from tests.support.writes import one_chunk


def widths(store: ChunkStore) -> dict[str, int | None]:
    """Each vector collection of the store (chunks and months) by name, with its ``ef_search``."""
    return {
        c.name: search_width(c.configuration_json)
        for c in store.client.list_collections()
        if not c.name.endswith(("-articles", "-keys", "-entities"))
    }


def test_the_chunks_and_month_collections_search_wide_and_an_older_archive_is_widened(tmp_path: Path) -> None:
    embeddings = HashingEmbeddings()
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    store.ensure(embeddings.model_id, embeddings.dim)
    text = "Переговоры в Париже продолжились в среду."
    store.write(
        [one_chunk(ArticleInfo("a1", "v1", 1, "Переговоры", date(2026, 1, 5), "Лента"), text, embeddings)]
    )
    found = widths(store)
    assert len(found) == 2  # the chunks and January 2026
    assert set(found.values()) == {EF_SEARCH}

    for name in found:  # as created before
        store.client.get_collection(name).modify(configuration={"hnsw": {"ef_search": 100}})
    older = ChunkStore.open(None, tmp_path / "chroma", "news")
    assert set(widths(older).values()) == {100}
    older.ensure(embeddings.model_id, embeddings.dim)  # what an ingestion does first
    assert widths(ChunkStore.open(None, tmp_path / "chroma", "news")) == found
    assert [c.chunk.article_id for c in older.nearest(embeddings.embed_question(text), 1)] == ["a1"]
