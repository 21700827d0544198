"""``newsbot timeline A B``: queries compared on the same periods, as counts and as shares of each period's
articles, in text, JSON and CSV, on articles the test writes (what each mentions is written down with
it, so the expected figures come from the data, not from the code under test)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from matplotlib.image import imread

from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.records import Article
from retrieval.settings import load_settings
from tests.support.cli import one_line, run


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    day: date | None
    source: str | None
    mentions: frozenset[str]  # of: putin, johnson


PUTIN = ("Путин провёл совещание с правительством.", {"putin"})
JOHNSON = ("Борис Джонсон выступил в парламенте.", {"johnson"})
JOHNSON_EN = ("Boris Johnson spoke in London.", {"johnson"})
BOTH = ("Путин и Джонсон не встречались.", {"putin", "johnson"})
NEITHER: tuple[str, set[str]] = ("В Самаре открыли новую школу.", set())
PLAN = [  # (text, day, outlet): two busy months a year and a half apart, one quiet month between
    (PUTIN, date(2024, 1, 10), "Лента"),
    (PUTIN, date(2024, 1, 12), "Лента"),
    (PUTIN, date(2024, 1, 20), "Пост"),
    (JOHNSON, date(2024, 1, 22), "Пост"),
    (NEITHER, date(2024, 1, 25), "Лента"),
    (NEITHER, date(2024, 1, 26), "Лента"),
    (NEITHER, date(2024, 9, 3), "Лента"),
    (BOTH, date(2025, 6, 2), "Лента"),
    (JOHNSON, date(2025, 6, 5), None),
    (JOHNSON_EN, date(2025, 6, 9), "Лента"),
    (NEITHER, date(2025, 6, 11), "Пост"),
    (NEITHER, date(2025, 6, 12), None),
    (PUTIN, None, "Пост"),
]


def items() -> list[Item]:
    return [
        Item(f"cmp-{i:02d}", text, day, source, frozenset(said))
        for i, ((text, said), day, source) in enumerate(PLAN)
    ]


def month(day: date) -> str:
    return day.isoformat()[:7]


def expected(word: str) -> dict[str, tuple[int, int]]:
    """Per month with articles: (articles that mention ``word``, all the month's articles)."""
    out: dict[str, tuple[int, int]] = {}
    for it in items():
        if it.day is not None:
            n, of = out.get(month(it.day), (0, 0))
            out[month(it.day)] = (n + (word in it.mentions), of + 1)
    return out


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    data_dir = tmp_path_factory.mktemp("timeline-compare")
    articles = [Article(it.id, f"Новость {it.id}", it.text, it.day, source=it.source) for it in items()]
    ingestion = Ingestion(open_store(load_settings(data_dir=data_dir)), e5, lock_dir=data_dir / "locks")
    assert ingestion.run_articles(articles, "compare").added == len(PLAN)
    return data_dir


@pytest.fixture
def archive(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(data_dir))
    return data_dir


def test_two_queries_are_counted_on_the_same_months_and_empty_runs_are_one_line(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["timeline", "Путин", "Johnson"], capsys)
    assert code == 0, err
    putin, johnson = expected("putin"), expected("johnson")
    total_putin = sum(it.mentions >= {"putin"} for it in items())
    total_johnson = sum(it.mentions >= {"johnson"} for it in items())
    assert out.startswith(f"Путин: {total_putin} articles, 2024-01 – 2025-06, by month\n")
    assert f"\nJohnson: {total_johnson} articles, 2024-01 – 2025-06, by month\n" in out
    assert "undated: 1 of them" in out  # the undated Путин
    rows = {m: (int(a), int(b)) for m, a, b in re.findall(r"^(\d{4}-\d\d)-01 +(\d+) +(\d+)$", out, re.M)}
    named = [m for m in putin if putin[m][0] or johnson[m][0]]
    assert rows == {m: (putin[m][0], johnson[m][0]) for m in named}  # each month either is named in
    gaps = re.findall(r"^… +no articles in (\d+) months \((\S+) – (\S+)\)$", out, re.M)
    assert gaps == [("16", "2024-02", "2025-05")]  # 2024-09 has an article, but neither name
    assert len(out.splitlines()) < 20  # not a line per month of the 18


def test_json_gives_a_series_per_query_and_share_divides_by_the_months_articles(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["timeline", "Путин", "Johnson", "--share", "--json"], capsys)
    assert code == 0, err
    series = json.loads(out)
    assert [s["query"] for s in series] == ["Путин", "Johnson"]
    for s, word in zip(series, ("putin", "johnson"), strict=True):
        assert s["total"] == sum(word in it.mentions for it in items())
        want = expected(word)
        got = {p["start"][:7]: p for p in s["periods"]}
        assert len(got) == 18 and all(p["count"] == 0 for m, p in got.items() if m not in want)
        for m, (n, of) in want.items():
            assert (got[m]["count"], got[m]["articles"]) == (n, of)
            assert got[m]["share"] == pytest.approx(n / of, abs=1e-4)
        assert got["2024-05"]["share"] is None  # a month without articles has no share

    putin_jan = {p["start"]: p for p in series[0]["periods"]}["2024-01-01"]
    assert putin_jan["by_outlet"] == {"Лента": 2, "Пост": 1}
    lenta_jan = sum(1 for it in items() if it.source == "Лента" and it.day and month(it.day) == "2024-01")
    assert putin_jan["share_by_outlet"]["Лента"] == pytest.approx(2 / lenta_jan, abs=1e-4)
    johnson_june = {p["start"]: p for p in series[1]["periods"]}["2025-06-01"]
    unknown_june = sum(1 for it in items() if it.source is None and it.day and month(it.day) == "2025-06")
    assert johnson_june["by_outlet"]["(unknown)"] == 1
    assert johnson_june["share_by_outlet"]["(unknown)"] == pytest.approx(1 / unknown_june, abs=1e-4)

    code, out, _ = run(["timeline", "Путин", "--share"], capsys)
    n, of = expected("putin")["2024-01"]
    assert code == 0 and re.search(rf"^2024-01-01 +{n} {100 * n / of:.1f}% of {of} ", out, re.M)
    assert "unknown outlet" not in out and "(Лента 2 " in out


def test_an_english_name_counts_its_russian_spelling(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["timeline", "Johnson", "--json"], capsys)
    [johnson] = json.loads(out)
    assert code == 0 and johnson["total"] == sum("johnson" in it.mentions for it in items()) == 4
    assert johnson["outlets"] == ["Лента", "Пост", "(unknown)"]  # not "other"


def test_csv_a_row_per_query_and_month_and_the_chart(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["timeline", "Путин", "Johnson", "--share", "--csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 2 * 18
    jan = next(r for r in rows if r["query"] == "Путин" and r["period"] == "2024-01-01")
    n, of = expected("putin")["2024-01"]
    assert (int(jan["count"]), int(jan["articles"]), float(jan["share"])) == (n, of, round(n / of, 4))

    code, _, err = run(["timeline", "Путин", "Johnson", "--png", str(tmp_path / "c.png")], capsys)
    image = imread(str(tmp_path / "c.png"))
    assert code == 0 and image.shape[:2] == (450, 1000) and image.std() > 0

    code, _, err = run(["timeline", "a1", "a2", "a3", "a4", "a5", "a6"], capsys)
    assert code == 2 and "at most 5 queries" in one_line(err)
    code, _, err = run(["timeline", "Путин", "--csv", "--json"], capsys)
    assert code == 2 and "give one of them" in one_line(err)
