"""JSON lines, JSON documents and CSV: records to articles, and each broken record reported with its
line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from ingest.loaders import load_paths
from retrieval.records import Problem
from tests.ingest.loaders.samples import jsonl, write


def test_jsonl_records_with_ids_urls_and_neither(tmp_path: Path) -> None:
    content = jsonl(
        {"id": "a-1", "title": "С идентификатором", "date": "2008-11-21 15:19:14", "text": "Текст один."},
        {"headline": "С адресом", "link": "https://example.org/2", "Body": "Текст два.", "outlet": "Газета"},
        {"title": None, "text": "Без заголовка и без адреса. Второе предложение.", "source": "xquad-ru"},
    )
    result = load_paths([write(tmp_path, "news.jsonl", content)])

    assert result.skipped == [] and result.warnings == []
    first, second, third = result.articles
    assert (first.id, first.title, first.date, first.origin) == (
        "a-1",
        "С идентификатором",
        date(2008, 11, 21),
        "news.jsonl:1",
    )
    assert (second.id, second.url, second.source, second.text) == (
        "https://example.org/2",
        "https://example.org/2",
        "Газета",
        "Текст два.",
    )
    assert (third.id, third.title, third.origin) == (
        "news.jsonl#3",
        "Без заголовка и без адреса.",
        "news.jsonl:3",
    )


def test_jsonl_broken_line_is_reported_with_its_line_and_the_rest_loaded(tmp_path: Path) -> None:
    content = jsonl({"id": "a", "text": "Один."}, {"id": "b", "text": "Два."})
    content += '{"id": "c", "text": "Три."\n\n' + jsonl({"id": "d", "text": "Четыре."})
    result = load_paths([write(tmp_path, "news.jsonl", content)])

    assert [article.id for article in result.articles] == ["a", "b", "d"]
    assert [article.origin for article in result.articles] == ["news.jsonl:1", "news.jsonl:2", "news.jsonl:5"]
    assert result.skipped == [Problem("news.jsonl:3", "invalid json: expecting ',' delimiter at column 27")]


def test_a_record_that_is_not_an_object_is_reported(tmp_path: Path) -> None:
    content = jsonl(["a", "list"], {"id": "ok", "text": "Текст."}, "a string")
    result = load_paths([write(tmp_path, "odd.jsonl", content)])

    assert [article.id for article in result.articles] == ["ok"]
    assert result.skipped == [
        Problem("odd.jsonl:1", "record is a list, not an object"),
        Problem("odd.jsonl:3", "record is a string, not an object"),
    ]


def test_records_without_text_are_reported(tmp_path: Path) -> None:
    content = jsonl(
        {"id": "none", "title": "Пусто"}, {"id": "blank", "text": "  \n "}, {"id": "ok", "text": "Да."}
    )
    result = load_paths([write(tmp_path, "news.jsonl", content)])

    assert [article.id for article in result.articles] == ["ok"]
    assert result.skipped == [Problem("news.jsonl:1", "no text"), Problem("news.jsonl:2", "no text")]


def test_json_list_single_object_and_articles_key(tmp_path: Path) -> None:
    write(tmp_path, "list.json", json.dumps([{"text": "Первый."}, {"content": "Второй.", "id": 7}]))
    write(tmp_path, "one.json", json.dumps({"title": "Одна", "full_text": "Единственная статья."}))
    write(tmp_path, "wrapped.json", json.dumps({"articles": [{"article": "Внутри обёртки."}]}))

    result = load_paths([tmp_path])

    assert result.skipped == []
    assert [(a.id, a.origin, a.text) for a in result.articles] == [
        ("list.json#1", "list.json[0]", "Первый."),
        ("7", "list.json[1]", "Второй."),
        ("one.json", "one.json", "Единственная статья."),
        ("wrapped.json#1", "wrapped.json[0]", "Внутри обёртки."),
    ]


def test_broken_json_document_is_reported_with_its_line(tmp_path: Path) -> None:
    write(tmp_path, "broken.json", '[\n  {"text": "Один."},\n  {"text": "Два."\n]\n')

    result = load_paths([tmp_path])

    assert result.articles == []
    assert result.skipped == [Problem("broken.json:4", "invalid json: expecting ',' delimiter at column 1")]


def test_csv_with_aliases_and_a_multiline_text(tmp_path: Path) -> None:
    content = (
        "ID,Headline,Published,Link,Publisher,Body\n"
        'en-1,Chipmaker opens centre,2026-01-08,https://example.org/chip,Example Wire,"First paragraph.\n'
        "\n"
        'Second paragraph."\n'
        ",,January 11 2026,,,Runner sets a course record. He won in 2 hours.\n"
    )
    result = load_paths([write(tmp_path, "english.csv", content)])

    assert result.skipped == [] and result.warnings == []
    first, second = result.articles
    assert (first.id, first.title, first.date, first.url, first.source, first.origin) == (
        "en-1",
        "Chipmaker opens centre",
        date(2026, 1, 8),
        "https://example.org/chip",
        "Example Wire",
        "english.csv:2",
    )
    assert first.text == "First paragraph.\n\nSecond paragraph."
    assert (second.id, second.title, second.date, second.origin) == (
        "english.csv#2",
        "Runner sets a course record.",
        date(2026, 1, 11),
        "english.csv:5",
    )


def test_csv_row_with_the_wrong_number_of_fields_is_reported(tmp_path: Path) -> None:
    content = (
        "id,title,text\na,Первая,Текст один.\nb,Вторая\nc,Третья,Текст три.,лишнее\nd,Четвёртая,Текст.\n"
    )
    result = load_paths([write(tmp_path, "rows.csv", content)])

    assert [article.id for article in result.articles] == ["a", "d"]
    assert result.skipped == [
        Problem("rows.csv:3", "2 fields where the header has 3"),
        Problem("rows.csv:4", "4 fields where the header has 3"),
    ]


def test_csv_without_a_text_column_is_reported(tmp_path: Path) -> None:
    result = load_paths([write(tmp_path, "meta.csv", "id,title\n1,Заголовок\n")])

    assert result.articles == []
    assert result.skipped == [
        Problem("meta.csv", "no text column (expected one of: text, body, content, article, full_text)")
    ]


def test_a_unix_time_in_a_json_date_field_is_read_in_utc(tmp_path: Path) -> None:
    content = jsonl(
        {"id": "s", "date": 1767693600, "text": "Т."}, {"id": "ms", "date": 1767693600000, "text": "Т."}
    )
    result = load_paths([write(tmp_path, "epoch.jsonl", content)])

    assert [article.date for article in result.articles] == [date(2026, 1, 6), date(2026, 1, 6)]
