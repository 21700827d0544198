"""Near-duplicates are filed under one story as they are ingested, whichever run or process writes them;
nothing is deleted, and removing or editing a copy leaves the others searchable and shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ingest.pipeline import Ingestion
from retrieval.answer.answerer import Answerer
from retrieval.answer.relevance import AbstainPolicy
from retrieval.embeddings import E5Embeddings
from retrieval.records import Article
from retrieval.search.searcher import Searcher
from retrieval.store.chunks import ChunkStore
from retrieval.store.stories import THRESHOLD, fingerprint
from tests.support import reprints

STORY = {reprints.ORIGINAL, reprints.REPRINT}


def answerer(store: ChunkStore, e5: E5Embeddings) -> Answerer:
    return Answerer(
        Searcher(store, e5, today=lambda: date(2026, 1, 20)), AbstainPolicy.for_model(e5.model_id)
    )


def stories(store: ChunkStore) -> dict[str, str]:
    return {aid: info.story for aid, info in store.articles().items()}


def shown(store: ChunkStore, e5: E5Embeddings) -> dict[str, list[str]]:
    """Article -> the ids of its copies, as a search for the story shows them (each article once)."""
    passages = answerer(store, e5).search(reprints.QUERY, 5).passages
    return {p.article_id: [c.article_id for c in p.copies] for p in reversed(passages)}


def test_a_reprint_and_its_original_in_one_run_share_the_story_named_by_the_first(
    tmp_path: Path, e5: E5Embeddings
) -> None:
    path = reprints.write_jsonl(
        tmp_path / "in" / "paris.jsonl", [reprints.original(), reprints.reprint(), reprints.preview()]
    )
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    report = Ingestion(store, e5, lock_dir=tmp_path / "locks").run([path])
    assert report.added == 3
    assert stories(store) == {
        reprints.ORIGINAL: reprints.ORIGINAL,
        reprints.REPRINT: reprints.ORIGINAL,
        reprints.PREVIEW: reprints.PREVIEW,  # the same talks in other words: a story of its own
    }
    assert fingerprint(reprints.original().text).similarity(fingerprint(reprints.preview().text)) < THRESHOLD


def test_a_copy_ingested_later_by_another_client_of_the_server_joins_the_story(
    chroma_server: str, tmp_path: Path, e5: E5Embeddings
) -> None:
    first = ChunkStore.open(chroma_server, tmp_path / "a", "stories-later")
    Ingestion(first, e5, lock_dir=tmp_path / "locks-a").run_articles([reprints.original()], "feed:a")
    later = ChunkStore.open(chroma_server, tmp_path / "b", "stories-later")  # another process's client
    report = Ingestion(later, e5, lock_dir=tmp_path / "locks-b").run_articles(
        [reprints.reprint(), reprints.preview()], "feed:b"
    )
    assert report.added == 2
    reader = ChunkStore.open(chroma_server, tmp_path / "c", "stories-later")
    assert stories(reader)[reprints.REPRINT] == reprints.ORIGINAL
    seen = shown(reader, e5)
    assert len(STORY.intersection(seen)) == 1
    (one,) = STORY.intersection(seen)
    assert seen[one] == list(STORY - {one})
    assert seen[reprints.PREVIEW] == []


def test_pruning_the_first_copy_leaves_the_other_searchable_and_shown(
    tmp_path: Path, e5: E5Embeddings
) -> None:
    folder = tmp_path / "in"
    reprints.write_jsonl(folder / "a.jsonl", [reprints.original()])
    reprints.write_jsonl(folder / "b.jsonl", [reprints.reprint()])
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    ingestion = Ingestion(store, e5, lock_dir=tmp_path / "locks")
    ingestion.run([folder])
    (folder / "a.jsonl").unlink()
    report = ingestion.run([folder], prune=True)
    assert report.pruned == 1
    assert stories(store) == {reprints.REPRINT: reprints.ORIGINAL}  # the label outlives its article
    assert shown(store, e5) == {reprints.REPRINT: []}
    ingestion.run_articles([reprints.original()], "feed:back")  # a copy again: it joins the same story
    assert stories(store) == {reprints.REPRINT: reprints.ORIGINAL, reprints.ORIGINAL: reprints.ORIGINAL}


def test_an_article_edited_away_from_its_story_starts_one_of_its_own(
    tmp_path: Path, e5: E5Embeddings
) -> None:
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    ingestion = Ingestion(store, e5, lock_dir=tmp_path / "locks")
    ingestion.run_articles([reprints.original(), reprints.reprint()], "feed:x")
    other = reprints.preview()
    rewritten = Article(
        reprints.ORIGINAL, "Встреча в Париже", other.text, other.date, other.url, "Пример-Новости"
    )
    report = ingestion.run_articles([rewritten], "feed:x")
    assert report.updated == 1
    after = stories(store)
    assert after[reprints.REPRINT] == reprints.ORIGINAL
    assert after[reprints.ORIGINAL] not in ("", reprints.ORIGINAL)  # not the label its old copies keep
    seen = shown(store, e5)
    assert seen[reprints.REPRINT] == [] and seen[reprints.ORIGINAL] == []  # both shown, apart
