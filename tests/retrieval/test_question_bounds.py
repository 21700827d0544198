"""A question's cost is bounded: what reaches the model is at most ``max_question_chars`` characters, cut
at a word boundary, and the answer says so."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import Ingestion
from retrieval.answer.answerer import Answerer
from retrieval.answer.relevance import AbstainPolicy
from retrieval.embeddings import E5Embeddings, NewsEmbeddings
from retrieval.records import SparseVector
from retrieval.search.searcher import Searcher
from retrieval.store.chunks import ChunkStore
from retrieval.terms import tokenize
from tests.conftest import SAMPLE

WHO = "Кто представит США на переговорах в Париже?"


class Recording(NewsEmbeddings):
    """The real model, remembering every question text it is given (dense and sparse passes)."""

    def __init__(self, inner: NewsEmbeddings) -> None:
        self.inner = inner
        self.model_id, self.dim, self.sparse_dim = inner.model_id, inner.dim, inner.sparse_dim
        self.questions: list[str] = []

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def embed_question(self, text: str) -> np.ndarray:
        self.questions.append(text)
        return self.inner.embed_question(text)

    def sparse_passages(self, texts: Sequence[str]) -> list[SparseVector]:
        return self.inner.sparse_passages(texts)

    def sparse_query(self, text: str) -> SparseVector:
        self.questions.append(text)
        return self.inner.sparse_query(text)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    archive = tmp_path_factory.mktemp("bounds-archive")
    for name in ("paris-talks.txt", "news.jsonl"):
        shutil.copy(SAMPLE / name, archive / name)
    data = tmp_path_factory.mktemp("bounds-data")
    Ingestion(ChunkStore.open(None, data / "chroma", "news"), e5, lock_dir=data / "locks").run([archive])
    return data


def answerer(store_dir: Path, model: Recording, limit: int = 500) -> Answerer:
    searcher = Searcher(ChunkStore.open(None, store_dir / "chroma", "news"), model)
    return Answerer(searcher, AbstainPolicy.for_model(model.model_id), max_question_chars=limit)


def long_question(chars: int = 4096) -> str:
    text = WHO
    while len(text) < chars:
        text += " " + WHO
    return text[:chars]


def test_a_long_question_reaches_the_model_cut_at_a_word_boundary(store_dir: Path, e5: E5Embeddings) -> None:
    model = Recording(e5)
    question = long_question()
    answer = answerer(store_dir, model).ask(question)
    [asked] = set(model.questions)
    assert len(model.questions) == 2  # the dense and the sparse pass, each given the cut question
    assert 400 < len(asked) <= 500 and question.startswith(asked) and question[len(asked)] == " "
    assert len(tokenize(asked)) < len(tokenize(question)) / 8
    assert answer.question == asked
    assert answer.note == f"вопрос сокращён до первых {len(asked)} символов"
    assert "Кушнер" in answer.text and answer.citations


def test_a_long_query_is_searched_by_its_beginning(store_dir: Path, e5: E5Embeddings) -> None:
    model = Recording(e5)
    result = answerer(store_dir, model, limit=60).search("Уиткофф Кушнер " + long_question(), 3)
    assert {len(q) for q in model.questions} == {len(result.query)} and len(result.query) <= 60
    assert result.passages and "Уиткофф" in result.passages[0].chunk.text


def test_a_question_within_the_bound_reaches_the_model_whole(store_dir: Path, e5: E5Embeddings) -> None:
    model = Recording(e5)
    answer = answerer(store_dir, model).ask(WHO)
    assert model.questions == [WHO, WHO]
    assert answer.question == WHO and answer.note is None
