"""The people, organisations and places a search's results name: each passage's in ``search --json``, and
the most mentioned under ``newsbot search``'s results, on articles the test writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.embeddings import E5Embeddings
from tests.support.cli import ingested, run

ARTICLES = {
    "a.txt": (
        "Переговоры о зерне",
        "2025-01-15",
        "Владимир Путин обсудил зерновую сделку с Реджепом Эрдоганом в Стамбуле.",
    ),
    "b.txt": (
        "Зерновая сделка продлена",
        "2025-02-03",
        "Дмитрий Песков сообщил, что Путин и Эрдоган договорились продлить зерновую сделку.",
    ),
    "c.txt": ("Урожай зерна", "2025-02-20", "Минсельхоз России оценил урожай зерна в Курской области."),
}


@pytest.fixture
def archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, e5: E5Embeddings, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.setattr("bot.wiring.load_embeddings", lambda settings: e5)
    return ingested(tmp_path / "archive", ARTICLES, capsys)


def test_search_json_passages_carry_the_entities_their_articles_name(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["search", "зерновая сделка", "--json", "--all"], capsys)
    assert code == 0
    by_article = {p["article_id"]: p["entities"] for p in json.loads(out)}
    assert {"name": "Владимир Путин", "kind": "person"} in by_article["a.txt"]
    assert {"name": "Стамбул", "kind": "place"} in by_article["a.txt"]
    names_b = {e["name"] for e in by_article["b.txt"]}
    assert {"Дмитрий Песков", "Путин", "Эрдоган"} <= names_b  # as the article names them
    assert "Стамбул" not in names_b


def test_search_text_names_who_its_results_mention_most_and_leaves_out_single_mentions(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["search", "Путин Эрдоган зерновая сделка", "--all"], capsys)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("Чаще всего упоминаются:"))
    assert "Владимир Путин (2)" in line  # "Путин" alone in one of them: the same person
    assert "Песков" not in line  # named in one result only
