"""Captions, credits, bylines, datelines, navigation and repeated headlines are kept out of quotes; prose
stays quotable, "фото" in a sentence included. Every text here is invented for the test."""

from __future__ import annotations

import pytest
from razdel import sentenize

from ingest.chunking import article_document, chunk_article
from ingest.loaders.article import title_from_text
from retrieval.boilerplate import find_boilerplate, is_boilerplate, prose_start, quotable_spans
from retrieval.records import Article


def quotable(text: str, title: str = "") -> list[str]:
    return [text[s:e] for s, e in quotable_spans(text, title)]


def sentences(text: str, title: str = "") -> list[str]:
    """What compose would quote from: each quotable span split into sentences."""
    return [s.text for part in quotable(text, title) for s in sentenize(part)]


def left_out(text: str, title: str = "") -> list[tuple[str, str]]:
    return [(b.kind, text[b.start : b.end]) for b in find_boilerplate(text, title)]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Солдаты на учениях. Фото: из открытых источников", "caption"),
        ("Мост через реку Каму. Фото: пресс-служба мэрии", "caption"),
        ("Фото: Анна Смирнова", "credit"),
        ("Фото Reuters", "credit"),
        ("Источник фото: сайт правительства области", "credit"),
        ("Photo: Jane Doe / Wire Agency", "credit"),
        ("© Wire Agency 2026", "credit"),
        ("Новый терминал аэропорта / Getty Images", "caption"),
        ("Getty Images", "credit"),
        ("На фото: губернатор и мэр на открытии моста", "caption"),
        ("Автор: Ольга Кузнецова", "byline"),
        ("Текст: Павел Орлов", "byline"),
        ("Подготовила Мария Белова", "byline"),
        ("By John Smith", "byline"),
        ("By Jane Doe and Peter Brown", "byline"),
        ("(Reporting by Ann Lee; Editing by Tom Hill)", "byline"),
        ("12/03/2026 09:15", "dateline"),
        ("Обновлено: 14 марта 2026, 18:40", "dateline"),
        ("Published: March 14, 2026", "dateline"),
        ("Читайте также: В Самаре открыли новый парк", "navigation"),
        ("Подписывайтесь на наш канал в Telegram", "navigation"),
        ("Read more: Prices of bread rise again", "navigation"),
        ("Теги: транспорт, метро", "navigation"),
        ("Поделиться", "navigation"),
        ("Share", "navigation"),
        ("Share Tweet Email", "navigation"),
        ("1 из 12", "navigation"),
    ],
)
def test_a_line_of_boilerplate_is_left_out_whole(line: str, kind: str) -> None:
    text = f"Первый абзац статьи о городе.\n\n{line}\n\nВторой абзац статьи о городе."

    assert left_out(text) == [(kind, line)]
    assert quotable(text) == ["Первый абзац статьи о городе.", "Второй абзац статьи о городе."]
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "sentence",
    [
        "Он показал фото журналистам.",
        "Фотограф Иван Петров снял пожар с крыши соседнего дома.",
        "Фото опубликовали в соцсетях, и оно быстро разошлось.",
        "Источник в мэрии сообщил, что мост откроют в мае.",
        "Автор законопроекта — депутат Сергей Волков.",
        "Видео с места аварии появилось вечером.",
        "Читатели прислали нам фото: на них видно затопленную улицу.",
        "Подписание договора состоится в Казани 5 мая.",
        "Share prices fell 3% on Monday.",
        "By the end of the year, prices rose by 4%.",
        "Photographers gathered outside the court.",
        "Губернатор Андрей Соколов подписал указ о строительстве моста.",
        "В 2026 году мост откроют.",
        "МОСКВА — крупнейший город страны.",
        "Новости по теме обсуждали весь день.",
    ],
)
def test_prose_stays_quotable(sentence: str) -> None:
    text = f"Вступление к статье.\n\n{sentence}\n\nКонец статьи."

    assert left_out(text) == []
    assert sentence in sentences(text)
    assert not is_boilerplate(sentence)


def test_headline_caption_and_sentence_are_no_longer_one_quote() -> None:
    text = "Футболист Иван Громов женился\n\nИван Громов\nЗвезда клуба сыграл свадьбу в родном городе."

    assert left_out(text, "Футболист Иван Громов женился") == [
        ("headline", "Футболист Иван Громов женился"),
        ("caption", "Иван Громов"),
    ]
    assert sentences(text, "Футболист Иван Громов женился") == [
        "Звезда клуба сыграл свадьбу в родном городе."
    ]


def test_a_repeated_headline_is_found_whatever_its_case_spaces_and_punctuation() -> None:
    title = "Мэр Самары: «Мост откроют в мае»"
    text = "МЭР САМАРЫ  — мост откроют в мае\nГород готовится к открытию моста."

    assert left_out(text, title) == [("headline", "МЭР САМАРЫ  — мост откроют в мае")]


def test_a_cut_title_finds_its_whole_headline_and_a_headline_cut_short() -> None:
    cut = "В Самаре открыли мост через реку, который строили…"
    whole = "В Самаре открыли мост через реку, который строили восемь лет"
    start = "В Самаре открыли мост"

    assert left_out(f"{whole}\nМост стал самым длинным в области.", cut) == [("headline", whole)]
    assert left_out(f"{start}\nМост стал самым длинным в области.", whole) == [("headline", start)]


def test_a_title_taken_from_the_first_sentence_leaves_that_sentence_quotable() -> None:
    text = "В Самаре открыли мост через Волгу. Его строили восемь лет.\n\nДвижение откроют в мае."
    title = title_from_text(text)

    assert title == "В Самаре открыли мост через Волгу."
    assert left_out(text, title) == []
    one_sentence = "В Самаре открыли мост через Волгу.\nЕго строили восемь лет."
    assert left_out(one_sentence, title) == []


def test_a_name_line_that_continues_a_sentence_or_lists_names_is_prose() -> None:
    wrapped = "На церемонии выступил\nИван Громов\nи поблагодарил болельщиков."
    listed = "В совет вошли:\nИван Громов\nАнна Белова\nПётр Сидоров"

    assert left_out(wrapped) == []
    assert left_out(listed) == []


def test_a_credit_glued_to_a_long_paragraph_leaves_out_only_the_credit() -> None:
    paragraph = "Строительство моста началось восемь лет назад. За это время подрядчик сменился трижды."
    text = f"{paragraph} Фото: А. Иванов"

    assert left_out(text) == [("credit", "Фото: А. Иванов")]
    assert quotable(text) == [paragraph]


def test_a_dateline_is_cut_from_the_sentence_it_opens() -> None:
    ru = "КАЗАНЬ, 5 марта /Наше агентство/. Власти города открыли новую станцию метро."
    en = "LONDON, March 5 (Wire) - The city opened a new bridge on Monday."
    dashed = "САМАРА, 6 марта — Местные Вести. Мост открыли для пешеходов."

    assert sentences(ru) == ["Власти города открыли новую станцию метро."]
    assert sentences(en) == ["The city opened a new bridge on Monday."]
    assert sentences(dashed) == ["Мост открыли для пешеходов."]
    assert left_out(ru) == [("dateline", "КАЗАНЬ, 5 марта /Наше агентство/. ")]


def test_spans_are_inside_lines_and_cover_all_the_prose() -> None:
    text = (
        "Мост открыт\n"
        "Автор: Ольга Кузнецова\n"
        "\n"
        "Мост через Каму открыли в среду. Движение запустят в пятницу.\n"
        "Мост на закате. Фото: пресс-служба\n"
        "  Читайте также: Как строили мост  \n"
        "Строители получили премии."
    )
    spans = quotable_spans(text, "Мост открыт")

    assert all("\n" not in text[s:e] and text[s:e] == text[s:e].strip() for s, e in spans)
    assert [text[s:e] for s, e in spans] == [
        "Мост через Каму открыли в среду. Движение запустят в пятницу.",
        "Строители получили премии.",
    ]


def test_a_title_from_the_text_passes_over_a_caption_and_a_dateline() -> None:
    captioned = "Фото: пресс-служба мэрии\nВ Самаре открыли мост через Волгу. Его строили восемь лет."
    dated = "САМАРА, 6 марта. Мост через Волгу открыли для машин."

    assert title_from_text(captioned) == "В Самаре открыли мост через Волгу."
    assert title_from_text(dated) == "Мост через Волгу открыли для машин."
    assert prose_start("Просто текст.") == 0


def test_a_title_found_past_a_caption_is_not_added_to_the_chunks_again() -> None:
    text = "Фото: пресс-служба мэрии\nВ Самаре открыли мост через Волгу. Его строили восемь лет."
    article = Article("bridge", title_from_text(text), text)

    assert article_document(article) == text
    assert "".join(c.text for c in chunk_article(article)).count("открыли мост") == 1
