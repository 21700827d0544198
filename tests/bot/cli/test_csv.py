"""``--csv`` on ``search``, ``who`` and ``feeds list`` as a user runs them, the output read back with the
csv module: a header, then every result up to ``--limit``."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from bot.present.csv_export import FEED_COLUMNS, SEARCH_COLUMNS, WHO_COLUMNS
from retrieval.embeddings import E5Embeddings
from tests.support import reprints
from tests.support.cli import one_line, run
from tests.support.generate import article_text

PUTIN = {
    "a.txt": ("Встреча в Кремле", "2025-01-15", "Владимир Путин встретился с Дмитрием Песковым."),
    "b.txt": ("Заявление", "2025-02-03", "Дмитрий Песков заявил, что Путин ответит."),
    "c.txt": ("Визит", "2025-02-20", "Владимира Путина встретили в Минске."),
}
NOTES = 120


def read_csv(text: str) -> list[dict[str, str]]:
    """The rows of a CSV as a spreadsheet reads them, keyed by the header."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def header(text: str) -> list[str]:
    return next(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def story_data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    """The Paris talks as two outlets ran them (one story) and a third told them (another)."""
    return reprints.ingest_story(tmp_path_factory.mktemp("cli-csv"), e5)


def test_search_csv_holds_every_passage_with_its_story_and_other_copies(
    story_data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(story_data_dir))
    code, out, _ = run(["search", reprints.QUERY, "--csv"], capsys)
    assert code == 0
    assert header(out) == list(SEARCH_COLUMNS)
    rows = read_csv(out)
    outlets = {r["outlet"] for r in rows}
    assert outlets == {"Пример-Новости", "Телеграф-Пример"}  # the reprint is "also in", not a row
    for row in rows:
        if row["outlet"] == "Пример-Новости":
            assert row["story"] == reprints.ORIGINAL
            assert row["also_in"] == "Вести-Пример https://vesti.example/world/paris-guarantees"
            assert row["url"] == "https://example.org/a/paris-talks"
        else:
            assert (row["story"], row["also_in"]) == (reprints.PREVIEW, "")
            assert (row["date"], row["title"]) == ("2026-01-05", "В Париже пройдёт встреча по Украине")
        assert row["passage"] and row["strength"] in {"strong", "related", "weak"}

    # every passage the search finds, in its order: what --json --all lists, copies apart
    code, out, _ = run(["search", reprints.QUERY, "--csv", "--all"], capsys)
    every = read_csv(out)
    code, listed, _ = run(["search", reprints.QUERY, "--json", "--all", "-k", "100"], capsys)
    found = json.loads(listed)
    assert [(r["title"], r["passage"]) for r in every] == [(p["title"], p["text"]) for p in found]
    assert {r["story"] for r in every if r["outlet"] == "Вести-Пример"} == {reprints.ORIGINAL}

    code, out, _ = run(["search", reprints.QUERY, "--csv", "--all", "--limit", "2"], capsys)
    assert [r["passage"] for r in read_csv(out)] == [r["passage"] for r in every[:2]]


def test_search_csv_holds_every_article_up_to_the_limit_not_a_pages_worth(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    e5: E5Embeddings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """120 notes on the key rate: more than a search's candidates (90 chunks) can bring. Short notes
    from a small vocabulary: some are filed as copies of one story."""
    monkeypatch.setattr("bot.wiring.load_embeddings", lambda settings: e5)
    rng = random.Random(27)
    folder = tmp_path / "notes"
    folder.mkdir()
    for i in range(NOTES):
        text = f"{article_text(rng, 'ru', (1, 1))}\n\nБанк России обсуждал ключевую ставку."
        (folder / f"{i:03d}.txt").write_text(f"Заметка {i}\n2025-03-{i % 28 + 1:02d}\n\n{text}\n", "utf-8")
    assert run(["ingest", str(folder)], capsys)[0] == 0

    code, listed, _ = run(["search", "ключевая ставка", "--json", "--all", "-k", "1000"], capsys)
    assert code == 0 and len({p["title"] for p in json.loads(listed)}) < NOTES
    code, out, _ = run(["search", "ключевая ставка", "--csv", "--all"], capsys)
    every = read_csv(out)
    assert {r["title"] for r in every} == {f"Заметка {i}" for i in range(NOTES)}
    code, out, _ = run(["search", "ключевая ставка", "--csv"], capsys)
    stories = read_csv(out)
    assert sorted(r["story"] for r in stories) == sorted({r["story"] for r in every})  # each story once
    code, out, _ = run(["search", "ключевая ставка", "--csv", "--all", "--limit", "100"], capsys)
    assert read_csv(out) == every[:100]


def test_search_csv_and_json_together_or_a_limit_of_0_is_bad_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["search", "ставка", "--csv", "--json"], capsys)
    assert (code, out) == (2, "")
    assert one_line(err) == "newsbot: error: --csv and --json: give one of them"
    with pytest.raises(SystemExit) as exit_:
        run(["search", "ставка", "--csv", "--limit", "0"], capsys)
    assert exit_.value.code == 2
    assert "--limit: must be 1 or more" in capsys.readouterr().err


def test_who_csv_lists_the_articles_newest_first_up_to_the_limit(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    e5: E5Embeddings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("bot.wiring.load_embeddings", lambda settings: e5)
    folder = tmp_path / "archive"
    folder.mkdir()
    for name, (title, day, text) in PUTIN.items():
        (folder / name).write_text(f"{title}\n{day}\n\n{text}\n", encoding="utf-8")
    assert run(["ingest", str(folder)], capsys)[0] == 0

    code, out, _ = run(["who", "Putin", "--csv"], capsys)
    assert code == 0 and header(out) == list(WHO_COLUMNS)
    assert [(r["date"], r["title"], r["article_id"]) for r in read_csv(out)] == [
        ("2025-02-20", "Визит", "c.txt"),
        ("2025-02-03", "Заявление", "b.txt"),
        ("2025-01-15", "Встреча в Кремле", "a.txt"),
    ]
    code, out, _ = run(["who", "Путина", "--csv", "--limit", "2", "--since", "2025-02-01"], capsys)
    assert [r["article_id"] for r in read_csv(out)] == ["c.txt", "b.txt"]

    code, out, err = run(["who", "Witkoff", "--csv"], capsys)
    assert (code, read_csv(out), header(out)) == (0, [], list(WHO_COLUMNS))
    assert one_line(err) == "Witkoff: not mentioned in the archive."


def test_feeds_list_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["feeds", "list", "--csv"], capsys)
    assert (code, out) == (0, ",".join(FEED_COLUMNS) + "\r\n")  # no feeds: the header alone
    run(["feeds", "add", "https://example.org/rss.xml", "--source", 'Пример, "Новости"'], capsys)
    run(["feeds", "add", "https://example.org/atom.xml"], capsys)

    code, out, _ = run(["feeds", "list", "--csv"], capsys)
    rows = read_csv(out)
    assert [(r["url"], r["source"], r["last_poll"], r["articles_added"]) for r in rows] == [
        ("https://example.org/rss.xml", 'Пример, "Новости"', "", "0"),
        ("https://example.org/atom.xml", "", "", "0"),
    ]
    assert rows[0]["added_at"].endswith("+00:00")
    code, out, _ = run(["feeds", "list", "--csv", "--limit", "1"], capsys)
    assert len(read_csv(out)) == 1
