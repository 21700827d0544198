"""``ask`` and ``search`` end to end over the sample archive with the real bundled model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ingest.pipeline import Ingestion
from retrieval.answer.answerer import Answerer
from retrieval.records import SearchFilters
from retrieval.search.searcher import Searcher
from retrieval.store.chunks import ChunkStore
from tests.conftest import REPO
from tests.support.cli import run
from tests.support.hashing import HashingEmbeddings


def test_english_question_cites_the_russian_article_naming_witkoff_and_kushner(answerer: Answerer) -> None:
    answer = answerer.ask("who represents the US in Paris?")
    assert not answer.abstained
    # the envoys lead, not the meeting's host: "US" is "Соединенные Штаты" (CLDR's country names), the
    # one word of the question the sentence shares, and no other sentence holding a name shares as much
    assert answer.short is not None
    assert answer.short.original == "Стив Уиткофф и Джаред Кушнер"
    assert answer.text.startswith("Answer (person): ")
    assert "The archive says: “Соединенные Штаты на переговорах представят" in answer.text
    assert "Макрон" not in answer.text
    assert answer.text.endswith("[1]")
    [citation] = answer.citations
    assert citation.n == 1 and citation.article_id == "paris-talks.txt"
    assert citation.date == date(2026, 1, 6)
    assert "Уиткофф" in citation.quote and "Кушнер" in citation.quote
    assert all(part in answer.text for part in citation.quote.split(" … "))


def test_the_meetings_host_is_told_apart_from_the_envoys(answerer: Answerer) -> None:
    answer = answerer.ask("Who hosts the Paris meeting?")
    assert answer.text.startswith("The archive says: “Встречу принимает президент Франции Эммануэль Макрон.”")
    assert "Уиткофф" not in answer.text


def test_russian_question_quotes_the_sentence_with_the_answer(answerer: Answerer) -> None:
    answer = answerer.ask("Когда планируют открыть станцию «Тульская»?")
    assert answer.text.startswith("Ответ (дата): в 2028 году [1]\n\nВ архиве сказано: «")
    assert "2028" in answer.text
    assert answer.citations[0].url == "https://example.org/news/kazan-metro-sukno"


def test_off_archive_question_is_refused_with_the_archive_dates(answerer: Answerer) -> None:
    answer = answerer.ask("В каком году родился Лев Толстой?")
    assert answer.abstained
    assert answer.citations == ()
    assert answer.text == (
        "В архиве нет ответа на этот вопрос. Архив охватывает статьи с 2025-12-19 по 2026-01-16."
    )


def test_filters_are_hard_and_question_dates_are_soft(answerer: Answerer) -> None:
    retriever = answerer.searcher
    only_economy = retriever.search("морозы в Москве", 5, SearchFilters(sources=("Экономика-Пример",)))
    assert {p.chunk.source for p in only_economy.passages} == {"Экономика-Пример"}
    december = retriever.search("новости", 5, SearchFilters(until=date(2025, 12, 31)))
    assert december.passages and all(
        p.chunk.date and p.chunk.date <= date(2025, 12, 31) for p in december.passages
    )
    # a date named in the question prefers that day, and still finds undated or other articles
    dated = retriever.search("Что произошло 9 января?", 5)
    assert dated.intent.range is not None
    assert dated.passages[0].chunk.date == date(2026, 1, 9)


def test_passages_show_context_around_the_matching_chunk(answerer: Answerer) -> None:
    result = answerer.search("Witkoff Kushner", 5)
    top = result.passages[0]
    assert top.focus is not None
    focus = top.chunk.text[top.focus[0] : top.focus[1]]
    assert "Уиткофф" in focus and len(top.chunk.text) > len(focus)
    per_article: dict[str, int] = {}
    for p in result.passages:
        per_article[p.article_id] = per_article.get(p.article_id, 0) + 1
    assert max(per_article.values()) <= answerer.searcher.config.per_article
    spans: dict[str, list[tuple[int, int]]] = {}
    for p in result.passages:  # passages of one article never overlap
        assert all(p.chunk.end <= a or p.chunk.start >= b for a, b in spans.get(p.article_id, []))
        spans.setdefault(p.article_id, []).append((p.chunk.start, p.chunk.end))


def test_search_follows_ingestion_and_prune(tmp_path: Path) -> None:
    """What an ingestion writes or prunes is what the very next search finds, with no rebuild."""
    emb = HashingEmbeddings()
    archive = tmp_path / "a"
    archive.mkdir()
    doc = archive / "one.jsonl"
    doc.write_text(
        json.dumps(
            {"id": "x", "title": "Пингвины", "text": "Пингвины живут в Антарктиде."}, ensure_ascii=False
        )
        + "\n",
        encoding="utf-8",
    )
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    Ingestion(store, emb, lock_dir=tmp_path / "locks").run([archive])
    retriever = Searcher(store, emb)
    assert retriever.search("пингвины", 3).passages[0].article_id == "x"
    doc.write_text(
        json.dumps({"id": "y", "title": "Жирафы", "text": "Жирафы живут в Африке."}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    Ingestion(store, emb, lock_dir=tmp_path / "locks").run([archive], prune=True)
    assert [p.article_id for p in retriever.search("пингвины", 3).passages] == ["y"]
    assert retriever.stats().date_range == (None, None)
    assert (retriever.stats().articles, retriever.stats().chunks) == (1, 1)


def test_cli_ask_and_eval(sample_store: Path, tmp_path: Path) -> None:
    env = {**os.environ, "NEWSBOT_DATA_DIR": str(sample_store), "PYTHONPATH": str(REPO)}

    def newsbot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, timeout=300
        )

    asked = newsbot("ask", "who represents the US in Paris?", "--json")
    assert asked.returncode == 0, asked.stderr
    data = json.loads(asked.stdout)
    assert set(data) >= {"question", "answer", "abstained", "citations", "passages"}
    assert "Кушнер" in data["citations"][0]["quote"]

    wrong = newsbot("search", "Париж", "--source", "Nowhere Times")
    assert wrong.returncode != 0 and "No outlet called «Nowhere Times» in the archive" in wrong.stderr
    backwards = newsbot("ask", "Париж", "--since", "2026-02-01", "--until", "January 2026")
    assert backwards.returncode != 0 and "--since 2026-02-01 is after --until 2026-01-31" in backwards.stderr

    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps(
            {
                "id": "q1",
                "question": "who represents the US in Paris?",
                "lang": "en",
                "answerable": True,
                "article_id": "paris-talks.txt",
                "answers": ["Kushner", "Кушнер"],
                "evidence": "Соединенные Штаты на переговорах представят спецпосланники президента "
                "Дональда Трампа Стив Уиткофф и Джаред Кушнер.",
                "kind": "demo",
            }
        )
        + "\n"
        + json.dumps(
            {
                "id": "q2",
                "question": "Кто выиграл чемпионат мира по футболу 1966 года?",
                "lang": "ru",
                "answerable": False,
                "article_id": None,
                "answers": [],
                "evidence": None,
                "kind": "off-archive",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    details = tmp_path / "details.jsonl"
    ran = newsbot("eval", str(questions), "--json", "--details", str(details))
    assert ran.returncode == 0, ran.stderr
    table = json.loads(ran.stdout)
    assert table["demo/en"]["hit@1"] == 1.0 and table["demo/en"]["evidence@5"] == 1.0
    assert table["demo/en"]["answer_hit"] == 1.0
    assert table["off-archive/ru"]["abstained"] == 1.0
    rows = [json.loads(line) for line in details.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2"]
    assert rows[0]["articles"][0] == "paris-talks.txt" and rows[0]["passages"][0]["text"]
    assert rows[1]["abstained"] is True

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "question": "x"}\n{oops\n', encoding="utf-8")
    bad = newsbot("eval", str(broken))
    assert bad.returncode == 2 and f"{broken}:2: not valid JSON" in bad.stderr


def test_a_plain_text_file_without_outlet_or_link_is_named_in_the_source_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``newsbot ask`` and ``search`` say where to find an article that has no outlet and no link: the
    file it was ingested from, as the ingested folder names it."""
    folder = tmp_path / "archive" / "city"
    folder.mkdir(parents=True)
    (folder / "bridge-notes.txt").write_text(
        "В Самаре открыли мост через Волгу. Его строили восемь лет. Движение по мосту запустят в мае "
        "2026 года, сообщили в мэрии.\n",
        encoding="utf-8",
    )
    (folder / "wire.jsonl").write_text(
        json.dumps(
            {
                "id": "w1",
                "title": "Тарифы на проезд вырастут",
                "text": "Стоимость проезда в автобусах Самары вырастет с 1 февраля.",
                "source": "Городская лента",
                "url": "https://example.org/fares",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    code, _, err = run(["ingest", "--no-progress", str(tmp_path / "archive")], capsys)
    assert code == 0, err

    code, out, err = run(["ask", "Когда запустят движение по мосту через Волгу в Самаре?"], capsys)
    assert code == 0, err
    sources = out.split("Источники:\n", 1)[1].splitlines()
    assert sources[0] == "[1] В Самаре открыли мост через Волгу. — city/bridge-notes.txt"

    code, out, err = run(["search", "мост через Волгу", "--all"], capsys)
    assert code == 0, err
    assert "В Самаре открыли мост через Волгу. — city/bridge-notes.txt" in out
    assert "Городская лента — Тарифы на проезд вырастут\n   https://example.org/fares" in out
