"""``newsbot search`` names at most five other copies of a story under "also in" and counts the rest, as
the bot does; ``--json`` lists every copy, and ``--all`` shows every copy as a result of its own."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from tests.support import reprints
from tests.support.cli import run

OUTLETS = [f"Лента-{n}" for n in range(1, 9)]
"""Eight outlets ran the same story: one result, seven other copies."""


@pytest.fixture(scope="module")
def copies_data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    data_dir = tmp_path_factory.mktemp("cli-copies")
    first = reprints.original()
    assert first.date is not None
    copies = [
        replace(
            first,
            id=f"copy-{n}",
            date=first.date + timedelta(days=n),
            source=outlet,
            url=f"https://e{n}.example/a",
        )
        for n, outlet in enumerate(OUTLETS)
    ]
    path = reprints.write_jsonl(data_dir / "in" / "copies.jsonl", copies)
    settings = load_settings(data_dir=data_dir)
    report = Ingestion(open_store(settings), e5, lock_dir=data_dir / "locks").run([path])
    assert report.added == len(OUTLETS)
    return data_dir


@pytest.fixture(autouse=True)
def _in_copies_store(copies_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(copies_data_dir))


def also_in_line(out: str, words: str) -> str:
    """The one line of ``out`` that begins with ``words`` ("also in", "также в"); fails on more or none."""
    [line] = [x.strip() for x in out.splitlines() if x.strip().startswith(f"{words}: ")]
    return line


def test_search_names_five_other_copies_and_counts_the_rest(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["search", reprints.QUERY], capsys)
    assert code == 0
    named = also_in_line(out, "также в").removeprefix("также в: ").split("; ")
    assert len(named) == 6 and named[-1] == "и ещё 2"
    assert sum(outlet in out for outlet in OUTLETS) == 6  # the result's own outlet and five copies

    code, out, _ = run(["search", "Witkoff Kushner talks in Paris"], capsys)
    also = also_in_line(out, "also in")
    assert also.endswith("; and 2 more") and also.count("https://e") == 5


def test_an_answers_sources_name_five_other_copies_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["ask", "Кто представит США на переговорах в Париже?"], capsys)
    assert code == 0
    sources = out.split("Источники:", 1)[1]
    also = also_in_line(sources, "также в")
    assert also.endswith("; и ещё 2") and also.count("https://e") == 5


def test_json_and_all_keep_every_copy(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["search", reprints.QUERY, "--json"], capsys)
    assert code == 0
    found = json.loads(out)
    assert found and all(len(p["also_in"]) == len(OUTLETS) - 1 for p in found)  # each of its passages
    outlets = {found[0]["source"], *(c["source"] for c in found[0]["also_in"])}
    assert outlets == set(OUTLETS) and found[0]["also_in_more"] == 0

    code, out, _ = run(["search", reprints.QUERY, "--all", "-k", "10"], capsys)
    assert code == 0
    assert "также в" not in out
    assert all(f"— {outlet} —" in out for outlet in OUTLETS)
