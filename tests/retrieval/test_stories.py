"""One story told once: a reprint from another outlet is shown once, with "also in", in search results
and answers (the retrieval API and the ``newsbot`` command); a distinct article on the same event still
shows; ``--all`` shows every copy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.present.text import format_answer, format_search
from ingest.pipeline import Ingestion
from retrieval.answer.answer_json import passage_json
from retrieval.answer.answerer import Answerer
from retrieval.answer.relevance import AbstainPolicy
from retrieval.embeddings import E5Embeddings
from retrieval.records import Chunk, Copy, Passage, Story
from retrieval.search.passages import PassageBuilder
from retrieval.search.searcher import Searcher
from retrieval.search.stories import group_by_story
from retrieval.store.chunks import ChunkStore
from tests.conftest import SAMPLE
from tests.support import reprints
from tests.support.cli import run

STORY = {reprints.ORIGINAL, reprints.REPRINT}


@pytest.fixture(scope="module")
def story_data(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Iterator[Path]:
    """The sample archive and the story's three articles, ingested once."""
    data = tmp_path_factory.mktemp("stories")
    path = reprints.write_jsonl(
        data / "in" / "paris.jsonl", [reprints.original(), reprints.reprint(), reprints.preview()]
    )
    store = ChunkStore.open(None, data / "chroma", "news")
    Ingestion(store, e5, lock_dir=data / "locks").run([SAMPLE / "news.jsonl", path])
    yield data


@pytest.fixture
def answerer(story_data: Path, e5: E5Embeddings) -> Answerer:
    store = ChunkStore.open(None, story_data / "chroma", "news")
    return Answerer(
        Searcher(store, e5, today=lambda: date(2026, 1, 20)), AbstainPolicy.for_model(e5.model_id)
    )


def test_search_shows_a_reprint_once_with_also_in_and_the_other_article_on_the_event(
    answerer: Answerer,
) -> None:
    passages = answerer.search(reprints.QUERY, 5).passages
    articles = [p.article_id for p in passages]
    shown = [a for a in dict.fromkeys(articles) if a in STORY]
    assert len(shown) == 1, articles  # one copy of the story, however many of its passages match
    (copy,) = next(p for p in passages if p.article_id == shown[0]).copies
    other = (STORY - {shown[0]}).pop()
    expected = reprints.original() if other == reprints.ORIGINAL else reprints.reprint()
    assert (copy.article_id, copy.source, copy.url, copy.date) == (
        other,
        expected.source,
        expected.url,
        expected.date,
    )
    assert reprints.PREVIEW in articles  # a distinct article on the same talks is not a copy
    preview = next(p for p in passages if p.article_id == reprints.PREVIEW)
    assert preview.copies == ()
    printed = format_search(reprints.QUERY, passages, show_all=True)
    assert f"также в: {expected.source} ({expected.date.isoformat()}) {expected.url}" in printed  # type: ignore[union-attr]


def test_also_in_is_the_same_when_the_story_was_not_read_ahead(
    answerer: Answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # search reads the stories of the provisional best candidates while the sparse pass runs, and
    # those of any passage outside them once the passages are chosen
    ahead = answerer.search(reprints.QUERY, 5).passages
    monkeypatch.setattr(PassageBuilder, "_stories", lambda *args: {})
    late = answerer.search(reprints.QUERY, 5).passages
    assert [(p.article_id, p.copies) for p in late] == [(p.article_id, p.copies) for p in ahead]
    assert any(p.copies for p in late)


def test_all_copies_shows_every_copy(answerer: Answerer) -> None:
    passages = answerer.search(reprints.QUERY, 5, all_copies=True).passages
    articles = {p.article_id for p in passages}
    assert STORY | {reprints.PREVIEW} <= articles
    assert all(p.copies == () for p in passages)


def test_an_answer_cites_the_story_once_and_names_its_other_outlet(answerer: Answerer) -> None:
    answer = answerer.ask("Кто представит США на переговорах в Париже?")
    assert not answer.abstained
    cited = [c.article_id for c in answer.citations]
    assert len(STORY.intersection(cited)) == 1, cited
    citation = next(c for c in answer.citations if c.article_id in STORY)
    assert [c.article_id for c in citation.copies] == list(STORY - {citation.article_id})
    assert len(STORY.intersection(p.article_id for p in answer.passages)) == 1
    assert f"также в: {citation.copies[0].source}" in format_answer(answer)


def test_grouping_keeps_the_best_copys_passages_and_drops_the_others() -> None:
    def passage(article: str, index: int, score: float) -> Passage:
        return Passage(Chunk(article, index, "text", 0, 4, article), score)

    a, b = Copy("a", "A", source="Outlet A"), Copy("b", "B", source="Outlet B")
    story = Story("a", (a, b))
    passages = [passage("b", 0, 3.0), passage("c", 0, 2.5), passage("a", 1, 2.0), passage("b", 2, 1.0)]
    grouped = group_by_story(passages, {"a": story, "b": story, "c": Story("c", (Copy("c", "C"),))})
    assert [(p.article_id, p.chunk.index) for p in grouped] == [("b", 0), ("c", 0), ("b", 2)]
    assert [p.copies for p in grouped] == [(a,), (), (a,)]


def test_a_storys_copies_not_read_are_counted_in_text_and_json() -> None:
    copies = (Copy("b", "B", date(2026, 1, 7), "Outlet B", "https://b.example/1"),)
    story = Story("a", (Copy("a", "A"), *copies), more=41)
    [grouped] = group_by_story([Passage(Chunk("a", 0, "Текст.", 0, 6, "A"), 1.0)], {"a": story})
    assert (grouped.copies, grouped.more_copies) == (copies, 41)
    printed = format_search("текст", [grouped], show_all=True)
    assert "также в: Outlet B (2026-01-07) https://b.example/1; и ещё 41" in printed
    data = passage_json(grouped)
    assert [c["source"] for c in data["also_in"]] == ["Outlet B"] and data["also_in_more"] == 41


def test_the_command_line_groups_copies_and_all_shows_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = reprints.write_jsonl(tmp_path / "in" / "paris.jsonl", [reprints.original(), reprints.reprint()])
    code, _, err = run(["ingest", "--no-progress", str(path)], capsys)
    assert code == 0, err
    code, grouped, _ = run(["search", reprints.QUERY], capsys)
    assert code == 0
    assert grouped.count("также в: ") == 1
    assert sum(f"— {a.source} —" in grouped for a in (reprints.original(), reprints.reprint())) == 1
    code, every, _ = run(["search", reprints.QUERY, "--all"], capsys)
    assert code == 0
    assert "также в: " not in every
    assert f"— {reprints.original().source} —" in every and f"— {reprints.reprint().source} —" in every
