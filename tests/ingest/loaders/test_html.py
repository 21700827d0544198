"""HTML pages: the main text, title, date, URL and site; a page without text is reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ingest.loaders import load_paths
from retrieval.records import Problem
from tests.ingest.loaders.samples import only_article, write

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
