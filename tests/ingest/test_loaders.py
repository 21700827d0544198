"""Files to articles: each layout, encoding and kind of bad input, and a generated archive of them all."""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ingest.loaders import SUPPORTED_SUFFIXES, load_file, load_paths, parse_article_date
from ingest.loaders.dates import ImplausibleDate
from retrieval.records import Article, LoadResult, Problem
from tests.conftest import SAMPLE
from tests.support.generate import Archive

STORY = (
    "Тульский пряник получил статус бренда региона\n"
    "\n"
    "10/01/2026 14:05\n"
    "\n"
    "ТУЛА, 10 января. Тульский пряник официально стал региональным брендом.\n"
    "\n"
    "Решение приняли на заседании областного правительства."
)


def only_article(result: LoadResult) -> Article:
    assert result.skipped == []
    assert len(result.articles) == 1
    return result.articles[0]


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


# --- text files ----------------------------------------------------------------------------------


def test_seed_layout_takes_the_date_marker_and_the_first_sentence_as_title() -> None:
    article = only_article(load_paths([SAMPLE / "paris-talks.txt"]))  # " date 2026-01-06 Европейские…"

    assert article.id == "paris-talks.txt"
    assert article.origin == "paris-talks.txt"
    assert article.date == date(2026, 1, 6)
    assert article.text.startswith("Европейские лидеры совместно с представителями США")
    assert "Уиткофф" in article.text
    assert "date 2026" not in article.text
    assert article.title.startswith("Европейские лидеры совместно с представителями США")
    assert article.title.endswith("…")
    assert len(article.title) <= 150
    assert (article.url, article.source) == (None, None)


def test_nerel_layout_takes_the_headline_and_removes_the_date_line(tmp_path: Path) -> None:
    content = (
        "Пермские спасатели вывели из леса группу грибников\n"
        "\n"
        "23/04/2009 07:15\n"
        "\n"
        "ПЕРМЬ, 23 апреля /Пример-Новости/. Спасатели нашли пятерых грибников, которые заблудились в лесу.\n"
        "\n"
        "Все они здоровы и уже вернулись домой.\n"
    )
    article = only_article(load_paths([write(tmp_path, "017.txt", content)]))

    assert article.id == "017.txt"
    assert article.title == "Пермские спасатели вывели из леса группу грибников"
    assert article.date == date(2009, 4, 23)
    assert article.text.startswith("ПЕРМЬ, 23 апреля /Пример-Новости/.")
    assert "23/04/2009" not in article.text


def test_nerel_layout_with_a_tab_line_under_the_headline(tmp_path: Path) -> None:
    content = (
        "Мэр Вологды сменил заместителей\n"
        "\t\n"
        "Мэр Вологды в понедельник подписал распоряжение о новых заместителях. Двое пришли из бизнеса.\n"
    )
    article = only_article(load_paths([write(tmp_path, "018.txt", content)]))

    assert article.title == "Мэр Вологды сменил заместителей"
    assert article.text.startswith("Мэр Вологды в понедельник подписал")
    assert article.date is None


def test_nerel_layout_with_a_leading_empty_line(tmp_path: Path) -> None:
    content = (
        "\n"
        "В Калуге после ремонта открылся музей космонавтики\n"
        "Фото: пресс-служба музея Фото: пресс-служба музея\n"
        "Фото: пресс-служба музея\n"
        "\n"
        "Музей космонавтики в Калуге снова принимает посетителей. Ремонт здания длился два года.\n"
    )
    article = only_article(load_paths([write(tmp_path, "12_05_13k.txt", content)]))

    assert article.title == "В Калуге после ремонта открылся музей космонавтики"
    assert article.text.startswith("Фото: пресс-служба музея")


def test_nerel_layout_without_blank_lines_still_has_a_headline(tmp_path: Path) -> None:
    content = (
        "Фермер из Тверской области вырастил рекордную тыкву\n"
        "Фермер из деревни под Тверью вырастил тыкву весом 412 килограммов. Её показали на ярмарке.\n"
        "Прежний рекорд области был на 60 килограммов меньше.\n"
    )
    article = only_article(load_paths([write(tmp_path, "601_.txt", content)]))

    assert article.title == "Фермер из Тверской области вырастил рекордную тыкву"
    assert article.text.startswith("Фермер из деревни под Тверью вырастил тыкву")


def test_headline_layout_with_a_date_line_in_a_file_of_ours(tmp_path: Path) -> None:
    article = only_article(load_paths([write(tmp_path, "tula.txt", STORY)]))

    assert article.title == "Тульский пряник получил статус бренда региона"
    assert article.date == date(2026, 1, 10)
    assert article.text == (
        "ТУЛА, 10 января. Тульский пряник официально стал региональным брендом.\n\n"
        "Решение приняли на заседании областного правительства."
    )


def test_a_date_line_above_the_headline(tmp_path: Path) -> None:
    content = "06.01.2026\n\nЛидеры встретятся в Париже\n\nПереговоры пройдут во вторник.\n"
    article = only_article(load_paths([write(tmp_path, "paris.txt", content)]))

    assert (article.title, article.date) == ("Лидеры встретятся в Париже", date(2026, 1, 6))
    assert article.text == "Переговоры пройдут во вторник."


def test_single_paragraph_takes_its_first_sentence_as_title_and_keeps_all_text(tmp_path: Path) -> None:
    text = "В Казани открылась станция метро «Сукно». Она стала двенадцатой на первой линии."
    article = only_article(load_paths([write(tmp_path, "metro.txt", text + "\n")]))

    assert article.title == "В Казани открылась станция метро «Сукно»."
    assert article.text == text


def test_text_newlines_are_normalised_and_paragraphs_kept(tmp_path: Path) -> None:
    content = "Заголовок\r\n\r\nПервая строка.  \r\nВторая строка\t\r\n\r\n\r\nВторой абзац.\r\n\r\n"
    article = only_article(load_paths([write(tmp_path, "crlf.txt", content)]))

    assert article.title == "Заголовок"
    assert article.text == "Первая строка.\nВторая строка\n\n\nВторой абзац."


def test_markdown_heading_becomes_the_title(tmp_path: Path) -> None:
    article = only_article(
        load_paths([write(tmp_path, "note.md", "# Морозы до минус 25\n\nВ Москве похолодает.\n")])
    )

    assert article.title == "Морозы до минус 25"
    assert article.text == "В Москве похолодает."


def test_markdown_front_matter_gives_title_date_url_and_source(tmp_path: Path) -> None:
    content = (
        "---\n"
        'title: "Эрмитаж покажет гравюры"\n'
        "date: 13.01.2026\n"
        "url: https://example.org/hermitage\n"
        "source: Культура-Пример\n"
        "---\n"
        "Государственный Эрмитаж откроет выставку.\n"
    )
    article = only_article(load_paths([write(tmp_path, "hermitage.md", content)]))

    assert article.title == "Эрмитаж покажет гравюры"
    assert article.date == date(2026, 1, 13)
    assert article.url == "https://example.org/hermitage"
    assert article.id == "https://example.org/hermitage"
    assert article.source == "Культура-Пример"
    assert article.text == "Государственный Эрмитаж откроет выставку."


# --- encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("cp1251", lambda text: text.encode("cp1251")),
        ("koi8-r", lambda text: text.encode("koi8_r")),
        ("utf-8 with bom", lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
        ("utf-16 with bom", lambda text: text.encode("utf-16")),
    ],
)
def test_encodings_are_detected(tmp_path: Path, name: str, encode: Callable[[str], bytes]) -> None:
    article = only_article(load_paths([write(tmp_path, "story.txt", encode(STORY))]))

    assert article.title == "Тульский пряник получил статус бренда региона", name
    assert article.date == date(2026, 1, 10)
    assert article.text.startswith("ТУЛА, 10 января.")


def test_a_short_cp1251_record_file_is_read_as_cp1251(tmp_path: Path) -> None:
    path = write(tmp_path, "short.csv", "id;text\nn1;Привет\n".encode("cp1251"))

    article = only_article(load_paths([path]))

    assert (article.id, article.text) == ("n1", "Привет")


# --- structured files ----------------------------------------------------------------------------


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


# --- html ----------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="windows-1251">
<title>Суд Вены освободил Фирташа — Пример Новости</title>
<link rel="canonical" href="https://news.example.ru/2014/03/13/firtash">
<meta property="og:site_name" content="Пример Новости">
<meta property="article:published_time" content="2014-03-13T10:00:00+03:00">
</head><body>
<header><nav><a href="/">Главная</a> <a href="/world">Мир</a></nav></header>
<article><h1>Суд Вены освободил Дмитрия Фирташа</h1>
<p>Земельный суд Вены отказал прокуратуре, требовавшей оставить под стражей бизнесмена Дмитрия Фирташа.</p>
<p>Суд освободил Фирташа под залог в 125 миллионов евро, сообщили в пресс-службе суда.</p>
</article>
<footer>© 2014 Пример. Все права защищены.</footer>
</body></html>
"""


def test_html_page_gives_main_text_title_date_url_and_site(tmp_path: Path) -> None:
    article = only_article(load_paths([write(tmp_path, "firtash.html", PAGE.encode("cp1251"))]))

    assert article.title == "Суд Вены освободил Дмитрия Фирташа"
    assert article.date == date(2014, 3, 13)
    assert article.url == "https://news.example.ru/2014/03/13/firtash"
    assert article.id == "https://news.example.ru/2014/03/13/firtash"
    assert article.source == "Пример Новости"
    assert article.text == (
        "Земельный суд Вены отказал прокуратуре, требовавшей оставить под стражей бизнесмена Дмитрия Фирташа."
        "\n\nСуд освободил Фирташа под залог в 125 миллионов евро, сообщили в пресс-службе суда."
    )
    assert "Главная" not in article.text and "права защищены" not in article.text


def test_html_page_without_text_is_reported(tmp_path: Path) -> None:
    result = load_paths(
        [write(tmp_path, "blank.htm", "<html><head><title>x</title></head><body></body></html>")]
    )

    assert result.articles == []
    assert result.skipped == [Problem("blank.htm", "no text")]


# --- bad input -----------------------------------------------------------------------------------


def test_binary_files_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    write(tmp_path, "noise.txt", bytes(range(1, 256)) * 8)

    result = load_paths([tmp_path])

    assert result.articles == []
    assert result.skipped == [Problem("image.txt", "binary file"), Problem("noise.txt", "binary file")]


def test_empty_files_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", b"")
    write(tmp_path, "b.jsonl", "\n  \n")
    write(tmp_path, "c.md", codecs.BOM_UTF8 + b"\r\n")

    result = load_paths([tmp_path])

    assert result.articles == []
    assert result.skipped == [Problem(name, "empty file") for name in ("a.txt", "b.jsonl", "c.md")]


def test_a_file_without_records_is_reported(tmp_path: Path) -> None:
    result = load_paths([write(tmp_path, "empty-list.json", "[]")])

    assert result.skipped == [Problem("empty-list.json", "no articles in file")]


def test_unparseable_date_is_a_warning_and_the_article_is_kept(tmp_path: Path) -> None:
    content = jsonl({"id": "x", "date": "когда-то давно", "text": "Текст."})
    result = load_paths([write(tmp_path, "dates.jsonl", content)])

    article = only_article(result)
    assert (article.id, article.date) == ("x", None)
    assert result.warnings == [
        Problem("dates.jsonl:1", "date 'когда-то давно' not understood; ingested without a date")
    ]


def test_a_file_that_vanished_is_reported_with_the_os_error(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    write(tmp_path, "here.txt", STORY)

    result = load_paths([tmp_path])

    assert [article.id for article in result.articles] == ["here.txt"]
    assert result.skipped == [Problem("gone.txt", "cannot read: no such file or directory")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_reported_with_the_os_error(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", STORY)
    path.chmod(0)
    try:
        result = load_paths([tmp_path])
    finally:
        path.chmod(0o644)

    assert result.skipped == [Problem("secret.txt", "cannot read: permission denied")]


def test_unsupported_files_are_reported_and_hidden_ones_ignored(tmp_path: Path) -> None:
    write(tmp_path, "photo.jpg", b"\xff\xd8\xff")
    write(tmp_path, "README", "notes")
    write(tmp_path, ".DS_Store", b"\x00\x01")
    write(tmp_path, ".git/HEAD.txt", "ref: refs/heads/main")
    write(tmp_path, "story.TXT", STORY)

    result = load_paths([tmp_path])

    assert [article.id for article in result.articles] == ["story.TXT"]
    assert result.skipped == [
        Problem("README", "unsupported file type (no suffix)"),
        Problem("photo.jpg", "unsupported file type .jpg"),
    ]


def test_a_missing_path_argument_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    result = load_paths([missing, write(tmp_path, "story.txt", STORY)])

    assert [article.id for article in result.articles] == ["story.txt"]
    assert result.skipped == [Problem(str(missing), "no such file or directory")]


def test_duplicate_ids_keep_the_first_and_report_both_places(tmp_path: Path) -> None:
    write(tmp_path, "a.jsonl", jsonl({"id": "same", "text": "Первый."}, {"id": "same", "text": "Второй."}))
    write(tmp_path, "b/c.jsonl", jsonl({"url": "https://example.org/1", "text": "Третий."}))
    write(tmp_path, "b/d.json", json.dumps({"link": "https://example.org/1", "text": "Четвёртый."}))

    result = load_paths([tmp_path])

    assert [(article.id, article.text) for article in result.articles] == [
        ("same", "Первый."),
        ("https://example.org/1", "Третий."),
    ]
    assert result.skipped == [
        Problem("a.jsonl:2", "duplicate id 'same', already loaded from a.jsonl:1"),
        Problem("b/d.json", "duplicate id 'https://example.org/1', already loaded from b/c.jsonl:1"),
    ]


# --- ids, roots and order ------------------------------------------------------------------------


def test_ids_are_relative_to_the_root_given(tmp_path: Path) -> None:
    path = write(tmp_path, "archive/2026/01/story.txt", STORY)

    from_folder = only_article(load_paths([tmp_path / "archive"]))
    from_file = only_article(load_paths([path]))
    from_root = only_article(load_file(path, tmp_path))

    assert from_folder.id == "2026/01/story.txt"
    assert from_file.id == "story.txt"
    assert from_root.id == from_root.origin == "archive/2026/01/story.txt"


def test_folders_are_read_in_sorted_order_and_ids_are_stable(tmp_path: Path) -> None:
    for name in ("b.txt", "a/z.txt", "a.txt", "c/a.txt"):
        write(tmp_path, name, STORY)

    first = load_paths([tmp_path])
    second = load_paths([str(tmp_path)])

    assert [article.id for article in first.articles] == ["a/z.txt", "a.txt", "b.txt", "c/a.txt"]
    assert first.articles == second.articles


def test_supported_suffixes() -> None:
    assert frozenset({".txt", ".md", ".json", ".jsonl", ".csv", ".html", ".htm"}) == SUPPORTED_SUFFIXES


# --- a generated archive of every layout -------------------------------------------------------


def test_an_archive_of_every_layout_loads_completely_with_stable_ids(generated_archive: Archive) -> None:
    archive = generated_archive
    result = load_paths([archive.root])

    assert result.skipped == [] and result.warnings == []
    assert [a.id for a in result.articles] == [a.id for a in archive.articles]
    assert len({a.id for a in result.articles}) == len(archive.articles)
    assert {a.layout for a in archive.articles} == {"jsonl", "json", "csv", "nerel", "seed", "plain", "html"}

    expected = {a.id: (a.title, a.date, a.url, a.source, a.text) for a in archive.articles}
    assert {a.id: (a.title, a.date, a.url, a.source, a.text) for a in result.articles} == expected

    nerel = sorted(p.name for p in (archive.root / "nerel").glob("*.txt"))
    assert sorted(a.id for a in result.articles if a.id.startswith("nerel/")) == [f"nerel/{n}" for n in nerel]
    for name in ("digest.json", "english.csv", "wire.jsonl", "world.jsonl"):
        file = f"feeds/{name}"
        loaded = [a.id for a in result.articles if (a.origin or "").startswith((f"{file}:", f"{file}["))]
        assert loaded == [a.id for a in archive.in_file(file)]

    assert load_paths([str(archive.root)]).articles == result.articles


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-06", date(2026, 1, 6)),
        ("2008-11-21 15:19:14", date(2008, 11, 21)),
        ("2026-01-06T23:30:00-05:00", date(2026, 1, 6)),
        ("2026-01-06T10:00:00Z", date(2026, 1, 6)),
        ("05/08/2008 10:35", date(2008, 8, 5)),
        ("05/08/2008", date(2008, 8, 5)),
        ("06.01.2026", date(2026, 1, 6)),
        ("Tue, 06 Jan 2026 10:00:00 +0300", date(2026, 1, 6)),
        ("6 января 2026", date(2026, 1, 6)),
        ("6 января 2026 г., 14:05", date(2026, 1, 6)),
        ("January 6, 2026", date(2026, 1, 6)),
        ("  ", None),
    ],
)
def test_parse_article_date_understands_common_shapes(value: str, expected: date | None) -> None:
    assert parse_article_date(value) == expected


@pytest.mark.parametrize("value", ["xyz", "вчера", "yesterday", "31/02/2026", "январь 2026"])
def test_parse_article_date_refuses_what_is_not_a_calendar_date(value: str) -> None:
    with pytest.raises(ValueError, match="not understood"):
        parse_article_date(value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("9999-12-31", "is later than 2026-01-07, a day after the day of ingestion"),
        ("2026-01-08", "is later than 2026-01-07, a day after the day of ingestion"),
        ("01.01.0001", "is before 1800-01-01"),
        ("31.12.1799", "is before 1800-01-01"),
    ],
)
def test_parse_article_date_refuses_a_date_no_article_carries(value: str, reason: str) -> None:
    with pytest.raises(ImplausibleDate) as refused:
        parse_article_date(value, today=date(2026, 1, 6))
    assert str(refused.value) == reason
    assert parse_article_date("2026-01-07", today=date(2026, 1, 6)) == date(2026, 1, 7)  # a zone ahead
    assert parse_article_date("1800-01-01", today=date(2026, 1, 6)) == date(1800, 1, 1)
