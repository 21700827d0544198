"""Operators and ``--who`` in ``newsbot search`` and ``newsbot ask`` as a user runs them, on articles the
test writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.embeddings import E5Embeddings
from tests.support.cli import ingested, one_line, run

ARTICLES = {
    "house.txt": (
        "Профсоюзы в Белом доме",
        "2025-03-01",
        "В Белый дом пришли представители профсоюзов. Переговоры о зарплатах продолжатся в среду.",
    ),
    "houses.txt": (
        "Заявление",
        "2025-03-02",
        "Представитель Белого дома заявил о переговорах с профсоюзами о зарплатах.",
    ),
    "putin.txt": ("Совещание", "2025-03-03", "Владимир Путин провёл в Кремле совещание по бюджету."),
    "trump.txt": ("Митинг", "2025-03-04", "Дональд Трамп выступил на митинге в Огайо и рассказал о бюджете."),
    "china.txt": ("Выборы", "2025-03-05", "Выборы прошли спокойно, но наблюдатели из Китая не приехали."),
}


@pytest.fixture
def archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, e5: E5Embeddings, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.setattr("bot.wiring.load_embeddings", lambda settings: e5)
    return ingested(tmp_path / "archive", ARTICLES, capsys)


def searched(argv: list[str], capsys: pytest.CaptureFixture[str]) -> set[str]:
    code, out, err = run([*argv, "--all", "--json"], capsys)
    assert code == 0, err
    return {p["article_id"] for p in json.loads(out)}


def test_search_honours_phrases_exclusions_or_and_who(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert searched(["search", '"Белый дом" профсоюзы'], capsys) == {"house.txt"}
    assert searched(["search", "Белый дом профсоюзы"], capsys) >= {"house.txt", "houses.txt"}
    assert searched(["search", "Путин OR Трамп бюджет"], capsys) == {"putin.txt", "trump.txt"}
    left = searched(["search", "бюджет выборы -Китая -Трамп"], capsys)  # any form left out
    assert "putin.txt" in left and not left & {"china.txt", "trump.txt"}
    assert searched(["search", "бюджет", "--who", "Putin"], capsys) == {"putin.txt"}


def test_ask_draws_only_on_the_articles_that_qualify(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["ask", 'о чём говорили в "Белый дом"?', "--json"], capsys)
    assert code == 0, err
    cited = {c["article_id"] for c in json.loads(out)["citations"]}
    assert cited == {"house.txt"}
    code, out, err = run(["ask", "что сказали о бюджете?", "--who", "Трампа", "--json"], capsys)
    assert code == 0, err
    assert {c["article_id"] for c in json.loads(out)["citations"]} == {"trump.txt"}


def test_ask_reads_a_question_whose_quotes_are_not_operators_as_its_words(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["ask", 'Что делал Путин в "Кремле?', "--json"], capsys)  # an unclosed quote
    assert code == 0, err
    assert {c["article_id"] for c in json.loads(out)["citations"]} == {"putin.txt"}
    code, out, err = run(["ask", "совещание по бюджету OR", "--json"], capsys)  # a lone OR: a word
    assert code == 0, err
    assert not json.loads(out)["abstained"]


def test_ask_searches_a_quoted_phrase_no_article_holds_as_written_by_its_words(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["ask", 'Кто провёл "совещания по бюджетам"?', "--json"], capsys)
    assert code == 0, err
    answer = json.loads(out)
    assert not answer["abstained"]
    assert {c["article_id"] for c in answer["citations"]} == {"putin.txt"}
    assert "ни одна статья не содержит фразу в кавычках дословно" in answer["note"]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["search", '"Белый дом'], "an unclosed quote"),
        (["search", "бюджет OR"], "OR needs a word or phrase on each side"),
        (["search", "бюджет", "--who", "Пупкин"], "No article names «Пупкин»"),
    ],
)
def test_a_query_that_cannot_be_read_is_bad_usage(
    archive: Path, argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2 and not out
    assert said in one_line(err)
