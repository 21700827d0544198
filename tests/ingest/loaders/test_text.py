"""Text and Markdown files: each layout's title, date and text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ingest.loaders import load_paths
from tests.conftest import SAMPLE
from tests.ingest.loaders.samples import STORY, only_article, write


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
