"""Ingestion end to end: real Chroma (embedded), real files; bookkeeping at a real archive's size, on
archives generated in every layout (:mod:`tests.support.generate`)."""

from __future__ import annotations

import itertools
import json
import random
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ingest.chunking import article_document
from ingest.loaders import ArticleLimits, load_paths
from ingest.pipeline import EMBED_BATCH, SPARSE_BATCH, WRITE_BATCH, Ingestion, Progress
from retrieval.errors import EmbeddingMismatch, IngestLocked
from retrieval.records import SparseVector
from retrieval.store.chunks import ArticleWrite, ChunkStore
from tests.conftest import SAMPLE
from tests.support.generate import Archive, article_text, write_archive
from tests.support.hashing import HashingEmbeddings
from tests.support.records import chunk_records

FULL_SIZE = 1000  # a real archive's first ingestion: past the page sizes of Chroma's reads and writes


def make_store(tmp_path: Path, name: str = "news") -> ChunkStore:
    return ChunkStore.open(None, tmp_path / "chroma", name)


def ingestion(store: ChunkStore, emb: object, tmp_path: Path, **kw: object) -> Ingestion:
    return Ingestion(store, emb, lock_dir=tmp_path / "locks", **kw)  # type: ignore[arg-type]


def visible_by_article(store: ChunkStore) -> dict[str, list[int]]:
    seen: dict[str, list[int]] = {}
    for _cid, chunk in store.visible_chunks():
        seen.setdefault(chunk.article_id, []).append(chunk.index)
    return {k: sorted(v) for k, v in seen.items()}


@pytest.fixture(scope="module")
def full_archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return write_archive(tmp_path_factory.mktemp("full") / "archive", FULL_SIZE, seed=1)


def test_bookkeeping_at_full_size(tmp_path: Path, full_archive: Archive) -> None:
    n = len(full_archive.articles)
    store, emb = make_store(tmp_path), HashingEmbeddings()
    first = ingestion(store, emb, tmp_path).run([full_archive.root])
    assert (first.added, first.updated, first.unchanged, first.pruned) == (n, 0, 0, 0)
    assert first.skipped == []
    infos = store.articles()
    assert len(infos) == n
    assert set(infos) == full_archive.ids  # record ids, URLs, "feeds/wire.jsonl#7", "nerel/003.txt"
    assert {i for i in infos if i.startswith("nerel/")} == {
        f"nerel/{p.name}" for p in (full_archive.root / "nerel").glob("*.txt")
    }
    assert first.chunks_written == sum(i.chunks for i in infos.values()) == chunk_records(store)
    assert first.chunks_written > 2 * n  # several chunks an article
    assert emb.passages_embedded == first.chunks_written
    # every article's visible chunks are exactly 0..n-1
    assert visible_by_article(store) == {aid: list(range(i.chunks)) for aid, i in infos.items()}

    emb.passages_embedded = 0
    second = ingestion(store, emb, tmp_path).run([full_archive.root])
    assert (second.added, second.updated, second.unchanged, second.chunks_written) == (0, 0, n, 0)
    assert emb.passages_embedded == 0
    assert chunk_records(store) == first.chunks_written


def test_offsets_quote_the_article_exactly(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "archive", 40)
    store = make_store(tmp_path)
    ingestion(store, HashingEmbeddings(), tmp_path).run([archive.root])
    texts = {a.id: article_document(a) for a in load_paths([archive.root]).articles}
    chunks = [c for _, c in store.visible_chunks()]
    assert len(chunks) > len(texts) == len(archive.articles)
    for c in chunks:
        assert texts[c.article_id][c.start : c.end] == c.text


def small_archive(tmp_path: Path) -> Archive:
    """A fresh archive of every layout that the test may edit."""
    return write_archive(tmp_path / "archive", 60)


def test_edited_article_replaces_its_chunks_and_prune_removes_gone_ones(tmp_path: Path) -> None:
    archive = small_archive(tmp_path).root
    store, emb = make_store(tmp_path), HashingEmbeddings()
    ingestion(store, emb, tmp_path).run([archive])
    before = store.articles()
    target = sorted((archive / "nerel").glob("*.txt"))[0]
    assert before[f"nerel/{target.name}"].chunks > 1
    target_id = f"nerel/{target.name}"
    target.write_text(
        "Новый заголовок\n\nСовершенно новый текст статьи. Его раньше не было.\n", encoding="utf-8"
    )
    gone = sorted((archive / "nerel").glob("*.txt"))[1]
    gone.unlink()

    emb.passages_embedded = 0
    report = ingestion(store, emb, tmp_path).run([archive])
    assert (report.updated, report.added, report.pruned) == (1, 0, 0)
    assert report.unchanged == len(before) - 2
    assert emb.passages_embedded == 1
    chunks = [c for _, c in store.visible_chunks() if c.article_id == target_id]
    assert [c.text for c in chunks] == [
        "Новый заголовок\n\nСовершенно новый текст статьи. Его раньше не было."
    ]
    assert chunks[0].title == "Новый заголовок"
    # the old version's chunks are gone from the collection, not just hidden
    assert chunk_records(store) == sum(i.chunks for i in store.articles().values())
    assert f"nerel/{gone.name}" in store.articles()  # no --prune: kept

    pruned = ingestion(store, emb, tmp_path).run([archive], prune=True)
    assert pruned.pruned == 1
    assert f"nerel/{gone.name}" not in store.articles()
    assert not [c for _, c in store.visible_chunks() if c.article_id == f"nerel/{gone.name}"]
    assert chunk_records(store) == sum(i.chunks for i in store.articles().values())


def test_prune_is_scoped_to_the_paths_given(tmp_path: Path) -> None:
    archive = small_archive(tmp_path).root
    store, emb = make_store(tmp_path), HashingEmbeddings()
    ingestion(store, emb, tmp_path).run([archive])
    n = len(store.articles())
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "x1", "title": "T", "text": "Текст."}, ensure_ascii=False) + "\n")
    report = ingestion(store, emb, tmp_path).run([other], prune=True)
    assert (report.added, report.pruned) == (1, 0)
    assert len(store.articles()) == n + 1


def test_rebuild_starts_afresh_and_model_change_is_refused(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    ingestion(store, HashingEmbeddings(), tmp_path).run([SAMPLE])

    class OtherModel(HashingEmbeddings):
        model_id = "test:other-model"

    with pytest.raises(EmbeddingMismatch, match=r"--rebuild"):
        ingestion(store, OtherModel(), tmp_path).run([SAMPLE])
    report = ingestion(store, OtherModel(), tmp_path).run([SAMPLE], rebuild=True)
    assert report.added == len(store.articles()) > 0
    assert store.embedding_model() == "test:other-model"


def test_bad_input_is_reported_and_the_rest_ingested(tmp_path: Path) -> None:
    archive = tmp_path / "in"
    archive.mkdir()
    (archive / "good.jsonl").write_text(
        json.dumps({"id": "a", "title": "A", "text": "Первая статья."}, ensure_ascii=False)
        + "\n"
        + "{broken json\n"
        + json.dumps({"id": "b", "title": "B", "text": ""})
        + "\n"
        + json.dumps({"id": "c", "title": "C", "date": "not a date", "text": "Третья."}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    (archive / "empty.txt").write_bytes(b"")
    (archive / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00")
    store = make_store(tmp_path)
    report = ingestion(store, HashingEmbeddings(), tmp_path).run([archive])
    assert report.added == 2
    where = sorted(p.where for p in report.skipped)
    assert where == ["blob.txt", "empty.txt", "good.jsonl:2", "good.jsonl:3"]
    assert [p.where for p in report.warnings] == ["good.jsonl:4"]
    assert store.articles()["c"].date is None


def test_second_ingestion_at_once_is_refused(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    emb = HashingEmbeddings()
    outcome: list[str] = []

    def nested(p: Progress) -> None:
        if p.chunks_done == 0 and not outcome:
            try:
                ingestion(make_store(tmp_path), emb, tmp_path).run([SAMPLE])
                outcome.append("ran")
            except IngestLocked as exc:
                outcome.append(str(exc))

    ingestion(store, emb, tmp_path, progress=nested).run([SAMPLE])
    assert len(outcome) == 1
    assert "another ingestion" in outcome[0]


def test_progress_reports_articles_and_chunks(tmp_path: Path) -> None:
    archive = small_archive(tmp_path)
    seen: list[Progress] = []
    store = make_store(tmp_path)
    report = ingestion(store, HashingEmbeddings(), tmp_path, progress=seen.append, batch_size=4).run(
        [archive.root / "feeds" / "wire.jsonl"]
    )
    assert seen[0].chunks_done == 0
    assert seen[-1].articles_done == seen[-1].articles_total == report.added
    assert report.added == len(archive.in_file("feeds/wire.jsonl"))
    assert seen[-1].chunks_done == seen[-1].chunks_total == report.chunks_written
    assert all(a.chunks_done <= b.chunks_done for a, b in itertools.pairwise(seen))
    assert len(seen) > 5


def test_first_chunk_embeds_the_headline_once(tmp_path: Path) -> None:
    archive = small_archive(tmp_path)
    store = make_store(tmp_path)
    ingestion(store, HashingEmbeddings(), tmp_path).run([archive.root])
    by_article: dict[str, list[str]] = {}
    for _, c in sorted(store.visible_chunks(), key=lambda row: (row[1].article_id, row[1].index)):
        by_article.setdefault(c.article_id, []).append(c.text)
    assert set(by_article) == archive.ids
    for a in archive.articles:
        chunks = by_article[a.id]
        assert chunks[0].startswith(a.title), a.id
        assert sum(text.count(a.title) for text in chunks) == 1, a.id
        if a.layout not in ("seed", "plain"):  # a headline of its own, not the text's first sentence
            assert chunks[0].startswith(f"{a.title}\n\n"), a.id


HUGE_PARAGRAPHS = 4000  # about 3,000 chunks: one article far past a batch


class RecordingEmbeddings(HashingEmbeddings):
    """Hashing vectors, dense and sparse (like the bundled model's two passes), recording how many texts
    each model call was given."""

    sparse_dim = 64

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []
        self.sparse_calls: list[int] = []

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return super().embed_passages(texts)

    def sparse_passages(self, texts: Sequence[str]) -> list[SparseVector]:
        self.sparse_calls.append(len(texts))
        out = []
        for vector in super().embed_passages(texts):
            top = np.flatnonzero(vector).astype(np.int32)
            out.append(SparseVector(top, vector[top].astype(np.float32)))
        return out


class RecordingStore(ChunkStore):
    """The real store, recording the chunks of each article in each write it is asked for."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.writes: list[list[int]] = []
        self._depth = 0

    def write(self, writes: Sequence[ArticleWrite]) -> int:
        if self._depth == 0:  # not the store's own split of a call too big for Chroma
            self.writes.append([len(w.chunks) for w in writes])
        self._depth += 1
        try:
            return super().write(writes)
        finally:
            self._depth -= 1


HUGE_LIMITS = ArticleLimits(text_chars=5_000_000)
"""Past the loaders' own length limit: the pipeline must bound its batches by itself."""


def huge_archive(tmp_path: Path) -> tuple[Path, int]:
    """A generated archive plus one text file holding an article of thousands of chunks (ingested with
    :data:`HUGE_LIMITS`)."""
    archive = write_archive(tmp_path / "archive", 40, seed=4)
    text = article_text(random.Random(4), "ru", (HUGE_PARAGRAPHS, HUGE_PARAGRAPHS))
    (archive.root / "huge.txt").write_text(f"Сводка за год\n\n{text}\n", encoding="utf-8")
    return archive.root, len(archive.articles) + 1


def test_a_huge_article_is_embedded_in_small_calls_and_switched_in_one_write(tmp_path: Path) -> None:
    root, n = huge_archive(tmp_path)
    store = RecordingStore.open(None, tmp_path / "chroma", "news")
    assert isinstance(store, RecordingStore)
    emb = RecordingEmbeddings()
    report = ingestion(store, emb, tmp_path, limits=HUGE_LIMITS).run([root])
    infos = store.articles()
    huge = infos["huge.txt"].chunks
    assert (report.added, report.cancelled, len(infos)) == (n, False, n)
    assert huge > 2000 and huge > 4 * WRITE_BATCH
    assert report.chunks_written == sum(i.chunks for i in infos.values()) == chunk_records(store)
    # no model call is given more than its budget; every chunk is embedded once, both ways
    assert max(emb.calls) <= EMBED_BATCH and max(emb.sparse_calls) <= SPARSE_BATCH
    assert sum(emb.calls) == sum(emb.sparse_calls) == report.chunks_written
    # a write holds at most a batch of chunks, or one article longer than that on its own
    assert all(sum(w) <= WRITE_BATCH or len(w) == 1 for w in store.writes)
    assert [w for w in store.writes if sum(w) > WRITE_BATCH] == [[huge]]  # switched in one step
    assert sorted(c for w in store.writes for c in w) == sorted(i.chunks for i in infos.values())
    assert visible_by_article(store) == {aid: list(range(i.chunks)) for aid, i in infos.items()}


def test_cancel_inside_a_huge_article_stops_before_the_next_model_call(tmp_path: Path) -> None:
    root, n = huge_archive(tmp_path)
    store, emb, cancel = make_store(tmp_path), RecordingEmbeddings(), threading.Event()
    calls_when_cancelled: list[int] = []

    def cancel_halfway(p: Progress) -> None:  # the huge article is most of the chunks: this is inside it
        if not cancel.is_set() and p.chunks_done >= p.chunks_total // 2:
            cancel.set()
            calls_when_cancelled.append(len(emb.calls))

    cancelled = ingestion(store, emb, tmp_path, limits=HUGE_LIMITS, progress=cancel_halfway, cancel=cancel)
    report = cancelled.run([root])
    assert report.cancelled
    assert len(emb.calls) == calls_when_cancelled[0]  # not one more model call once cancelled
    infos = store.articles()
    assert "huge.txt" not in infos and report.added == len(infos) < n
    assert visible_by_article(store) == {aid: list(range(i.chunks)) for aid, i in infos.items()}
    assert chunk_records(store) == report.chunks_written

    again = ingestion(store, RecordingEmbeddings(), tmp_path, limits=HUGE_LIMITS).run([root])
    assert (again.added, again.unchanged, again.cancelled) == (n - len(infos), len(infos), False)
    done = store.articles()
    assert len(done) == n and done["huge.txt"].chunks > 2000
    assert visible_by_article(store) == {aid: list(range(i.chunks)) for aid, i in done.items()}
