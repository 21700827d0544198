"""The sample archive ingested once per test session with the bundled model, and an answerer over it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ingest.pipeline import Ingestion
from retrieval.answer.answerer import Answerer
from retrieval.answer.relevance import AbstainPolicy
from retrieval.embeddings import E5Embeddings
from retrieval.search.searcher import Searcher
from retrieval.store.chunks import ChunkStore
from tests.conftest import SAMPLE


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("sample-data")
    store = ChunkStore.open(None, data / "chroma", "news")
    Ingestion(store, e5, lock_dir=data / "locks").run([SAMPLE])
    yield data


@pytest.fixture
def answerer(sample_store: Path, e5: E5Embeddings) -> Answerer:
    store = ChunkStore.open(None, sample_store / "chroma", "news")
    searcher = Searcher(store, e5, today=lambda: date(2026, 1, 20))
    return Answerer(searcher, AbstainPolicy.for_model(e5.model_id))
