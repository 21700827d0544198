"""Huge titles and texts: cut to NEWSBOT_MAX_TITLE_CHARS / NEWSBOT_MAX_ARTICLE_CHARS, with a warning."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest

from ingest.loaders import ArticleLimits, load_paths
from ingest.pipeline import Ingestion
from retrieval.records import ArticleInfo, Chunk, IngestReport, Problem
from retrieval.settings import load_settings
from retrieval.store.chunks import ChunkStore
from tests.support.generate import article_text
from tests.support.hashing import HashingEmbeddings


def long_line(chars: int, seed: int = 1) -> str:
    """Generated Russian sentences on one line, at least ``chars`` characters long."""
    rng = random.Random(seed)
    line = ""
    while len(line) < chars:
        line += " " + " ".join(article_text(rng, "ru", (20, 20)).split())
    return line.strip()


def test_a_100_kb_title_is_cut_at_a_word_boundary_and_the_record_line_is_warned(tmp_path: Path) -> None:
    title = long_line(100_000)
    records = [
        {"id": "short", "title": "Короткий заголовок", "text": "Обычная заметка."},
        {"id": "huge", "title": title, "text": "Заметка с огромным заголовком."},
    ]
    (tmp_path / "feed.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )

    result = load_paths([tmp_path])

    short, huge = result.articles
    assert short.title == "Короткий заголовок"
    assert len(huge.title) <= 300 and huge.title.endswith("…")
    kept = huge.title.removesuffix("…")
    assert len(kept) > 200 and title.startswith(kept) and title[len(kept)] == " "  # whole words only
    assert huge.text == "Заметка с огромным заголовком."
    assert result.warnings == [
        Problem("feed.jsonl:2", f"title is {len(title):,} characters; cut to 300 (NEWSBOT_MAX_TITLE_CHARS)")
    ]
    assert result.skipped == []


def test_a_title_that_is_one_long_word_is_still_cut(tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text("id,title,text\nw," + "Ы" * 5000 + ",Текст.\n", encoding="utf-8")

    [article] = load_paths([tmp_path]).articles

    assert article.title == "Ы" * 299 + "…"


def test_text_beyond_the_article_limit_is_dropped_with_a_warning(tmp_path: Path) -> None:
    paragraphs = [long_line(1000, seed) for seed in range(400)]  # about 400,000 characters
    text = "\n\n".join(paragraphs)
    (tmp_path / "huge.txt").write_text("Огромная статья\n\n" + text + "\n", encoding="utf-8")

    result = load_paths([tmp_path])

    [article] = result.articles
    assert article.title == "Огромная статья"
    assert 190_000 < len(article.text) <= 200_000
    assert text.startswith(article.text) and text[len(article.text)] in " \n"
    assert result.warnings == [
        Problem(
            "huge.txt",
            f"text is {len(text):,} characters; only the first 200,000 are ingested "
            "(NEWSBOT_MAX_ARTICLE_CHARS)",
        )
    ]


def test_the_limits_come_from_the_settings_passed_in_never_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = long_line(5000)
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.jsonl").write_text(json.dumps({"id": "a", "title": "Заголовок " * 10, "text": text}) + "\n")
    monkeypatch.setenv("NEWSBOT_MAX_TITLE_CHARS", "40")
    monkeypatch.setenv("NEWSBOT_MAX_ARTICLE_CHARS", "2000")

    def ingest(limits: ArticleLimits, name: str) -> tuple[IngestReport, ArticleInfo, list[Chunk]]:
        store = ChunkStore.open(None, tmp_path / "chroma", name)
        report = Ingestion(store, HashingEmbeddings(), lock_dir=tmp_path / "locks", limits=limits).run(
            [archive]
        )
        return report, store.articles()["a"], [chunk for _, chunk in store.visible_chunks()]

    report, info, chunks = ingest(ArticleLimits.from_settings(load_settings()), "environment")
    assert info.title == "Заголовок Заголовок Заголовок Заголовок…"
    assert {c.title for c in chunks} == {info.title}
    assert max(c.end for c in chunks) <= len(info.title) + 2 + 2000  # offsets count from the title
    assert [p.reason.split(";")[0] for p in report.warnings] == [
        f"text is {len(text):,} characters",
        "title is 99 characters",
    ]

    overridden = ArticleLimits.from_settings(load_settings(max_title_chars=60, max_article_chars=10_000))
    report, info, chunks = ingest(overridden, "overridden")
    assert info.title == "Заголовок Заголовок Заголовок Заголовок Заголовок Заголовок…"
    assert [p.reason for p in report.warnings] == [
        "title is 99 characters; cut to 60 (NEWSBOT_MAX_TITLE_CHARS)"
    ]
    assert max(c.end for c in chunks) == len(info.title) + 2 + len(text)  # all of the text

    report, info, _ = ingest(ArticleLimits(), "defaults")  # the settings' defaults: 300 and 200,000
    assert (report.warnings, info.title) == ([], ("Заголовок " * 10).strip())
    assert load_paths([archive]).articles == load_paths([archive], ArticleLimits()).articles


def test_a_title_taken_from_the_text_is_never_warned_about(tmp_path: Path) -> None:
    text = "Очень " * 30 + "длинное первое предложение без заголовка. " + long_line(3000)
    (tmp_path / "plain.txt").write_text(text, encoding="utf-8")

    result = load_paths([tmp_path], ArticleLimits(title_chars=60, text_chars=200_000))

    [article] = result.articles
    assert len(article.title) <= 60 and article.title.endswith("…")
    assert result.warnings == []


def test_huge_urls_sources_and_ids_are_bounded_with_warnings_naming_the_line(tmp_path: Path) -> None:
    huge_url = "https://example.org/news?q=" + "a" * 5000
    huge_id = "wire-" + "7" * 2000
    records = [
        {"id": "ok", "url": "https://example.org/ok", "source": "Пример", "text": "Обычная заметка."},
        {"id": "long-url", "url": huge_url, "title": "Заметка", "text": "Ссылка была огромной."},
        {"url": huge_url + "b", "title": "Без id", "text": "Id взят из огромной ссылки."},
        {"id": "long-source", "source": "Агентство " * 100, "text": "Название издания огромно."},
        {"id": huge_id, "text": "Id огромен."},
        {"id": huge_id + "8", "text": "Id огромен и почти такой же."},
    ]
    (tmp_path / "feed.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )

    result = load_paths([tmp_path])

    ok, long_url, no_id, long_source, long_id, long_id_too = result.articles
    assert (ok.id, ok.url, ok.source) == ("ok", "https://example.org/ok", "Пример")
    assert (long_url.id, long_url.url, long_url.title) == ("long-url", None, "Заметка")
    no_id_hash = "sha1:" + hashlib.sha1((huge_url + "b").encode()).hexdigest()
    assert (no_id.id, no_id.url) == (no_id_hash, None)
    assert long_source.source is not None and long_source.source.endswith("…")
    assert len(long_source.source) <= 200 and ("Агентство " * 100).startswith(long_source.source[:-1])
    assert long_id.id == "sha1:" + hashlib.sha1(huge_id.encode()).hexdigest()
    assert long_id_too.id.startswith("sha1:") and long_id_too.id != long_id.id
    assert result.warnings == [
        Problem("feed.jsonl:2", f"url is {len(huge_url):,} characters, over 2,048; ingested without a url"),
        Problem(
            "feed.jsonl:3",
            f"id is {len(huge_url) + 1:,} characters, over 512; the article's id is {no_id_hash}",
        ),
        Problem(
            "feed.jsonl:3", f"url is {len(huge_url) + 1:,} characters, over 2,048; ingested without a url"
        ),
        Problem("feed.jsonl:4", "source is 999 characters; cut to 200"),
        Problem("feed.jsonl:5", f"id is 2,005 characters, over 512; the article's id is {long_id.id}"),
        Problem("feed.jsonl:6", f"id is 2,006 characters, over 512; the article's id is {long_id_too.id}"),
    ]
    assert result.skipped == []


def test_every_chunk_carries_bounded_fields_and_a_hashed_id_is_the_same_on_the_next_run(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    record = {
        "id": "id-" + "x" * 3000,
        "url": "https://example.org/" + "p" * 3000,
        "source": "Издание " * 500,
        "title": "Огромные поля",
        "text": long_line(6000),
    }
    (archive / "feed.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    store = ChunkStore.open(None, tmp_path / "chroma", "news")

    def ingest() -> IngestReport:
        return Ingestion(store, HashingEmbeddings(), lock_dir=tmp_path / "locks").run([archive])

    first = ingest()

    chunks = [chunk for _, chunk in store.visible_chunks()]
    assert first.added == 1 and len(chunks) > 1
    assert {(c.article_id, c.url) for c in chunks} == {
        ("sha1:" + hashlib.sha1(str(record["id"]).encode()).hexdigest(), None)
    }
    assert all(c.source is not None and len(c.source) <= 200 for c in chunks)
    assert [p.reason.partition(" characters")[0] for p in first.warnings] == [
        "id is 3,003",
        "url is 3,020",
        "source is 3,999",
    ]
    again = ingest()
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
