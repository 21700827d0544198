"""``newsbot story`` as a user runs it: a wire story run by three outlets, ingested through the real
pipeline (:mod:`tests.support.wire`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.embeddings import E5Embeddings
from tests.support import wire
from tests.support.cli import run


@pytest.fixture(scope="module")
def wire_data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    """The wire story ingested once for the module, through the real pipeline."""
    return wire.ingest(tmp_path_factory.mktemp("story"), e5)


@pytest.fixture
def archive(wire_data_dir: Path, monkeypatch: pytest.MonkeyPatch, e5: E5Embeddings) -> Path:
    monkeypatch.setattr("bot.wiring.load_embeddings", lambda settings: e5)
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(wire_data_dir))
    return wire_data_dir


def test_the_first_outlet_the_lags_and_the_absent_outlets(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["story", wire.SECOND, "--json"], capsys)  # any copy gives its story
    assert code == 0
    body = json.loads(out)
    assert set(body) == {"story", "first", "copies", "absent", "window"}
    assert body["first"] == {
        "article_id": wire.FIRST,
        "outlet": "Пример-Новости",
        "date": "2026-01-06",
        "url": "https://example.org/a/paris-talks",
        "title": body["copies"][0]["title"],
    }
    assert [(c["outlet"], c["date"], c["after_hours"]) for c in body["copies"]] == [
        ("Пример-Новости", "2026-01-06", 0),
        ("Вести-Пример", "2026-01-07", 24),
        ("Север-Пример", "2026-01-09", 72),
    ]
    assert set(body["copies"][1]) == {"article_id", "outlet", "date", "url", "title", "after_hours"}
    assert body["copies"][2]["url"] == "https://sever.example/2026/01/09/guarantees"
    # active within 3 days of 2026-01-06 and never ran it; Спорт-Пример wrote on the 20th only
    assert body["absent"] == ["Телеграф-Пример"]
    assert body["window"] == {"since": "2026-01-03", "until": "2026-01-09"}


def test_the_text_names_who_ran_it_first_who_followed_and_who_did_not(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["story", wire.THIRD], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("First: 2026-01-06  Пример-Новости  «")
    assert lines[1].endswith(f"https://example.org/a/paris-talks  [{wire.FIRST}]")
    assert lines[2] == "Followed:"
    assert lines[3].startswith("  2026-01-07  +24 h (1 d later)  Вести-Пример  «")
    assert lines[4].startswith("  2026-01-09  +72 h (3 d later)  Север-Пример  «")
    assert lines[5] == "Active 2026-01-03 … 2026-01-09, never ran it: Телеграф-Пример"


def test_a_query_finds_the_story_of_its_best_article(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["story", wire.QUERY, "--json"], capsys)
    assert code == 0
    body = json.loads(out)
    assert body["first"]["article_id"] == wire.FIRST
    assert len(body["copies"]) == 3


def test_an_article_of_its_own_has_no_followers(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["story", wire.PREVIEW], capsys)
    assert code == 0
    assert "No other outlet ran it." in out
    # the copies' outlets were active around it (2026-01-02 … 2026-01-08) and ran none of it
    assert (
        out.splitlines()[-1] == "Active 2026-01-02 … 2026-01-08, never ran it: Вести-Пример, Пример-Новости"
    )


def test_an_unknown_id_or_query_exits_0_and_says_so(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["story", "щъыжщ"], capsys)
    assert (code, out.strip()) == (
        0,
        "No article has the id «щъыжщ», and a search for it finds no strong match.",
    )
    code, out, _ = run(["story", "щъыжщ", "--json"], capsys)
    assert (code, json.loads(out)) == (0, {"query": "щъыжщ", "first": None, "copies": [], "absent": []})


def test_a_blank_argument_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["story", " "], capsys)
    assert code == 2
    assert "give an article id or words" in err
