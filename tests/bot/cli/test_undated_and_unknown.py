"""Articles without a date or an outlet, said out loud: the ingest summary counts them and says how to give
them one (``--source`` for folders of plain text), a date filter says how many undated articles it left
out, and an outlet the archive does not hold names the closest ones. Generated files, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.embeddings import E5Embeddings
from tests.support.cli import one_line, run

OUTLET = "Пример-Новости"
DATED = {
    "metro.txt": ("Станция метро откроется", "2026-01-12", "Станцию «Тульская» откроют в 2028 году."),
    "rate.txt": ("Ключевая ставка", "2026-01-20", "Банк России сохранил ключевую ставку на уровне 16%."),
}
UNDATED = {
    "frost.txt": ("Морозы в Москве", "В Москве ударили морозы, столбик термометра опустился до -25."),
    "snow.txt": ("Снегопад", "Снегопад в Москве парализовал движение, метро работает в усиленном режиме."),
    "bridge.txt": ("Мост на ремонте", "Мост через Москву-реку закрыли на ремонт до весны."),
}
WIRE = {"id": "wire-1", "title": "Wire story", "date": "2026-01-15", "source": "Example Wire"}


@pytest.fixture
def texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, e5: E5Embeddings) -> Path:
    """A folder of plain-text articles (two dated, three not, none naming an outlet) and one JSON Lines
    record with its own outlet."""
    monkeypatch.setattr("bot.wiring.load_embeddings", lambda settings: e5)
    folder = tmp_path / "texts"
    folder.mkdir()
    for name, (title, day, text) in DATED.items():
        (folder / name).write_text(f"{title}\n{day}\n\n{text}\n", encoding="utf-8")
    for name, (title, text) in UNDATED.items():
        (folder / name).write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    wire = WIRE | {"text": "Снегопад в Москве: аэропорты задерживают рейсы."}
    (folder / "wire.jsonl").write_text(json.dumps(wire, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def test_the_summary_counts_the_undated_and_unsourced_and_source_names_an_outlet(
    texts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["ingest", str(texts)], capsys)
    assert code == 0, err
    assert "Without a date: 3 of the articles read; date filters (--since, --until, since:) leave them" in out
    assert "Without an outlet: 5 of the articles read (listed as 'unknown'). Name one for a folder's " in out
    assert "newsbot ingest DIR --source NAME" in out
    code, out, err = run(["stats", "--json"], capsys)
    assert json.loads(out)["sources"] == {"unknown": 5, "Example Wire": 1}

    code, out, err = run(["ingest", str(texts), "--source", f" {OUTLET} "], capsys)
    assert code == 0, err
    assert "5 updated, 1 unchanged" in out  # the outlet is part of an article: re-embedded
    assert "Without a date: 3 of" in out and "Without an outlet" not in out
    code, out, err = run(["stats", "--json"], capsys)
    assert json.loads(out)["sources"] == {OUTLET: 5, "Example Wire": 1}  # the record's own outlet won


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_outlet_name_is_bad_usage(
    texts: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(["ingest", str(texts), "--source", name], capsys)
    assert exited.value.code == 2
    said = capsys.readouterr()
    assert said.out == ""
    assert "ingest: error: argument --source: give the outlet's name, e.g. --source Reuters" in said.err
    assert not (Path("data") / "chroma").exists()  # nothing was ingested


def test_a_date_filter_says_how_many_undated_articles_it_left_out(
    texts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["ingest", str(texts), "--source", OUTLET], capsys)[0] == 0
    code, out, _ = run(["search", "Москва снегопад", "--since", "2026-01-01", "--all"], capsys)
    assert code == 0
    assert out.rstrip().endswith("(статей без даты, не учтённых фильтром по дате: 3)")
    code, out, _ = run(["search", "snow in Moscow", "--until", "2026-12-31"], capsys)
    assert out.rstrip().endswith("(articles without a date left out by the date filter: 3)")
    code, out, _ = run(["search", "Москва снегопад"], capsys)  # no date filter: nothing left out
    assert "без даты, не учтённых" not in out
    code, out, _ = run(["search", "снегопад", "--since", "2026-01-01", "--source", "Example Wire"], capsys)
    assert "не учтённых" not in out  # that outlet has no undated article
    code, out, err = run(["search", "снегопад", "--since", "2026-01-01", "--json"], capsys)
    assert isinstance(json.loads(out), list)  # the JSON stays JSON; the note goes to stderr
    assert err.strip() == "(статей без даты, не учтённых фильтром по дате: 3)"
    code, out, _ = run(["ask", "Что писали о снегопаде?", "--since", "2026-01-01", "--json"], capsys)
    assert json.loads(out)["note"].endswith("статей без даты, не учтённых фильтром по дате: 3")


def test_the_count_follows_an_update_and_a_prune(texts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["ingest", str(texts)], capsys)[0] == 0
    title, text = UNDATED["frost.txt"]
    (texts / "frost.txt").write_text(f"{title}\n2026-01-05\n\n{text}\n", encoding="utf-8")  # now dated
    (texts / "bridge.txt").unlink()
    code, out, err = run(["ingest", str(texts), "--prune"], capsys)
    assert code == 0, err
    assert "1 updated" in out and "1 pruned" in out and "Without a date: 1 of" in out
    code, out, _ = run(["search", "Москва", "--since", "2026-01-01"], capsys)
    assert out.rstrip().endswith("(статей без даты, не учтённых фильтром по дате: 1)")


def test_an_unknown_outlet_names_the_closest_and_unknown_says_what_it_is(
    texts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["ingest", str(texts), "--source", OUTLET], capsys)[0] == 0
    code, _, err = run(["search", "снегопад", "--source", "Примр-Новости"], capsys)
    assert code == 2
    assert one_line(err).endswith("No outlet called «Примр-Новости» in the archive. Closest: Пример-Новости")
    code, _, err = run(["search", "снегопад", "--source", "Exampel Wire"], capsys)
    assert code == 2 and one_line(err).endswith("Closest: Example Wire")
    code, _, err = run(["search", "снегопад", "--source", "unknown"], capsys)
    assert code == 2
    assert one_line(err).endswith(
        "«unknown» stands for the articles that name no outlet; they cannot be picked by an outlet "
        "filter. Give them one: newsbot ingest DIR --source NAME"
    )
