"""``newsbot who`` and ``newsbot entities`` as a user runs them, on articles the test writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.embeddings import E5Embeddings
from tests.support.cli import ingested, run

ARTICLES = {
    "a.txt": (
        "Встреча в Кремле",
        "2025-01-15",
        "Владимир Путин встретился с Дмитрием Песковым и Сергеем Шойгу.",
    ),
    "b.txt": ("Заявление", "2025-02-03", "Дмитрий Песков заявил, что Путин ответит. С ним был Сергей Шойгу."),
    "c.txt": ("Визит", "2025-02-20", "Владимира Путина встретили в Минске."),
}


@pytest.fixture
def archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, e5: E5Embeddings, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.setattr("bot.wiring.load_embeddings", lambda settings: e5)
    return ingested(tmp_path / "archive", ARTICLES, capsys)


def test_who_answers_a_latin_name_with_its_articles_months_and_the_names_beside_it(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["who", "Putin"], capsys)
    assert code == 0
    assert out.startswith("Владимир Путин (person): 3 articles")
    assert "first: 2025-01-15, «Встреча в Кремле»" in out
    assert "named with: Дмитрий Песков (2), Сергей Шойгу (2)" in out
    code, out, _ = run(["who", "Путина", "--json", "--since", "2025-02-01"], capsys)
    body = json.loads(out)
    assert (body["name"], body["kind"], body["articles"]) == ("Владимир Путин", "person", 2)
    assert body["article_ids"] == ["c.txt", "b.txt"]  # newest first
    assert body["first"]["date"] == "2025-02-03" and body["last"]["title"] == "Визит"
    assert [p["period"] for p in body["periods"]] == ["2025-02"]


def test_a_name_nobody_mentions_exits_0_and_says_so(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["who", "Witkoff"], capsys)
    assert (code, out.strip()) == (0, "Witkoff: not mentioned in the archive.")
    code, out, _ = run(["who", "Witkoff", "--json"], capsys)
    assert json.loads(out)["articles"] == 0


def test_entities_lists_the_most_named_of_a_period_and_kind(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["entities", "--kind", "person", "--json"], capsys)
    assert code == 0
    assert json.loads(out) == [
        {"name": "Владимир Путин", "kind": "person", "articles": 3},
        {"name": "Дмитрий Песков", "kind": "person", "articles": 2},
        {"name": "Сергей Шойгу", "kind": "person", "articles": 2},
    ]
    code, out, _ = run(["entities", "--since", "2025-02-10"], capsys)
    assert code == 0 and out.splitlines()[0].split()[:2] in (["Владимир", "Путин"], ["Минск", "place"])


@pytest.mark.parametrize("argv", [["who", "Путин", "--limit", "0"], ["entities", "--kind", "animal"]])
def test_bad_arguments_are_bad_usage(
    archive: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(argv, capsys)
    assert exited.value.code == 2
    assert f"newsbot {argv[0]}: error:" in capsys.readouterr().err
