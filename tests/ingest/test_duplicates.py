"""Near-duplicates are filed under one story as they are ingested, whichever run or process writes them;
nothing is deleted, and removing or editing a copy leaves the others searchable and shown."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from ingest.pipeline import Ingestion
from retrieval.answer.answerer import Answerer
from retrieval.answer.relevance import AbstainPolicy
from retrieval.embeddings import E5Embeddings
from retrieval.records import Article, ArticleInfo
from retrieval.search.searcher import Searcher
from retrieval.store.chunks import ChunkStore
from retrieval.store.fingerprints import THRESHOLD, fingerprint
from retrieval.store.schema import STORY_PREFIX
from retrieval.store.stories import BANDED_PER_STORY, Stories
from tests.support import reprints
from tests.support.hashing import HashingEmbeddings
from tests.support.writes import one_chunk

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


def test_one_write_of_a_thousand_articles_files_their_stories(tmp_path: Path) -> None:
    """A write's band-key lookup is split: one filter for a thousand articles' 42 band keys each would
    hold more values than the store accepts in one statement."""
    rng = random.Random(7)
    words = [f"слово{n}" for n in range(5000)]
    texts = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(1000)]
    texts.append(texts[0].replace(texts[0].split()[5], "перепечатка", 1))  # a reprint of the first
    embeddings = HashingEmbeddings()
    writes = []
    for n, text in enumerate(texts):
        info = ArticleInfo(f"a{n}", f"v{n}", 1, f"Заголовок {n}", date(2026, 1, 1), "Лента")
        writes.append(one_chunk(info, text, embeddings))
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    store.ensure(embeddings.model_id, embeddings.dim)
    store.write(writes)
    filed = stories(store)
    assert len(filed) == 1001
    assert filed["a1000"] == filed["a0"] == "a0"
    assert len(set(filed.values())) == 1000  # every other article a story of its own


class Wire:
    """Two unrelated random texts (``wire`` and ``other``) and a store that takes copies of them, each
    copy edited a little: ``write(range(3, 5), wire)`` writes articles a3 and a4 in one write."""

    def __init__(self, tmp_path: Path, seed: int) -> None:
        rng = random.Random(seed)
        words = [f"слово{n}" for n in range(3000)]
        self.wire = " ".join(rng.choice(words) for _ in range(80))
        self.other = " ".join(rng.choice(words) for _ in range(80))
        self.embeddings = HashingEmbeddings()
        self.store = ChunkStore.open(None, tmp_path / "chroma", "news")
        self.store.ensure(self.embeddings.model_id, self.embeddings.dim)

    def write(self, ids: range, text: str, version: str = "v") -> None:
        writes = []
        for n in ids:
            copy = text.replace(text.split()[n % 70], f"правка{n}", 1)
            info = ArticleInfo(
                f"a{n}", f"{version}{n}", 1, f"Заголовок {n}", date(2026, 1, 1), f"Издание {n}"
            )
            writes.append(one_chunk(info, copy, self.embeddings))
        self.store.write(writes)


def test_a_story_reprinted_many_times_keeps_every_copy_and_bands_only_its_first(tmp_path: Path) -> None:
    """A wire story reprinted in one write and in later ones: every copy joins the story (also the one
    written after the story's banded copies were all written), and a lookup meets at most
    BANDED_PER_STORY of them, whatever the number of copies."""
    w = Wire(tmp_path, 11)
    w.write(range(12), w.wire)
    w.write(range(12, 20), w.wire)
    w.write(range(20, 21), w.other)
    filed = stories(w.store)
    assert {filed[f"a{n}"] for n in range(20)} == {"a0"}
    assert filed["a20"] == "a20"
    met = Stories(w.store.collections.articles(), 100)._sharing_bands([fingerprint(w.wire)])
    assert len(met) == BANDED_PER_STORY
    assert {m.article_id for m in met} == {f"a{n}" for n in range(BANDED_PER_STORY)}


def test_a_storys_copies_are_read_by_id_and_match_its_visible_articles_after_edits_and_removals(
    tmp_path: Path,
) -> None:
    """A question reads a story's copies through its member record (by id, no metadata filter): after
    writes in several runs, an edit that moves a copy out of the story and a removal, they are the
    visible articles that carry the story's label. A story written before member records existed is
    read by its label, and the next write that files a copy in it seeds its record with every copy."""
    w = Wire(tmp_path, 5)
    store, write, wire, other = w.store, w.write, w.wire, w.other

    def copies_read(article_id: str) -> set[str]:
        story = Stories(store.collections.articles(), 100).read([article_id])[article_id]
        return {c.article_id for c in story.copies}

    def carrying(label: str) -> set[str]:
        return {aid for aid, story in stories(store).items() if story == label}

    write(range(5), wire)
    write(range(5, 8), wire)
    write(range(8, 9), other)
    write(range(2, 3), other, version="edited")  # a2 now tells the other story
    store.remove(["a3"])
    assert carrying("a0") == {"a0", "a1", "a4", "a5", "a6", "a7"}
    assert copies_read("a5") == carrying("a0")
    assert copies_read("a8") == carrying(stories(store)["a8"]) == {"a2", "a8"}
    listed = Stories(store.collections.articles(), 100).members.read(["a0"])["a0"]
    assert set(listed) >= carrying("a0")  # the record lists them: the read above went by id

    store.collections.articles().delete(ids=[STORY_PREFIX + "a0"])  # as an archive written before the records
    assert copies_read("a5") == carrying("a0")  # read by its label
    write(range(9, 10), wire)
    assert carrying("a0") == {"a0", "a1", "a4", "a5", "a6", "a7", "a9"}
    assert set(Stories(store.collections.articles(), 100).members.read(["a0"])["a0"]) >= carrying("a0")
    assert copies_read("a9") == carrying("a0")


def test_a_large_storys_first_copies_are_read_and_the_rest_counted_truly_after_removals_and_edits(
    tmp_path: Path,
) -> None:
    """A question reads a story's first filed copies (and its own candidate) and counts the others
    from the story's member record; removing a copy or editing it into another story takes it off the
    record, so that the copies read and the count always add up to the story's visible articles."""
    w = Wire(tmp_path, 7)
    w.write(range(16), w.wire)
    w.write(range(16, 30), w.wire)
    w.write(range(30, 31), w.other)

    def story_of(article_id: str, most: int | None) -> tuple[list[str], int]:
        infos = list(w.store.article_infos([article_id]).values())
        story = Stories(w.store.collections.articles(), 100).of(infos, most)[article_id]
        return [c.article_id for c in story.copies], story.more

    def carrying(label: str) -> set[str]:
        return {aid for aid, story in stories(w.store).items() if story == label}

    copies, more = story_of("a25", most=10)
    assert set(copies) == {f"a{n}" for n in range(10)} | {"a25"}  # the first filed, and itself
    assert more == 30 - 11
    assert story_of("a25", most=None) == (sorted(carrying("a0"), key=lambda a: int(a[1:])), 0)

    w.store.remove(["a3", "a20", "a21"])  # one of the copies read, two of those counted
    w.write(range(22, 23), w.other, version="edited")  # a22 now tells the other story
    assert "a22" not in carrying("a0") and len(carrying("a0")) == 26
    copies, more = story_of("a25", most=10)
    assert len(copies) == 11 and set(copies) <= carrying("a0")
    assert len(copies) + more == len(carrying("a0"))
    copies, more = story_of("a30", most=10)
    assert set(copies) == carrying("a30") == {"a22", "a30"} and more == 0
