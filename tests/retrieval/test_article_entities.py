"""The people, organisations and places of one article: each once, by one canonical name, with the forms it
was written in (retrieval.entities.article, over natasha's real recogniser and pymorphy3's dictionaries)."""

from __future__ import annotations

import pytest

from retrieval.entities.article import Named, article_entities, entities_of
from retrieval.entities.canonical import cleaned, identity, nominative_name


def by_name(found: tuple[Named, ...]) -> dict[str, Named]:
    return {n.name: n for n in found}


def test_the_forms_of_a_name_and_its_surname_alone_are_one_person_named_in_the_nominative() -> None:
    found = by_name(
        article_entities(
            "Премьер-министр Великобритании Борис Джонсон прилетел в Москву. Бориса Джонсона встретили "
            "в аэропорту. Джонсон заявил журналистам, что доволен переговорами."
        )
    )
    johnson = found["Борис Джонсон"]
    assert johnson.kind == "person"
    assert johnson.mentions == 3
    assert {"Борис Джонсон", "Бориса Джонсона", "Джонсон"} <= set(johnson.variants)
    assert "Джонсон" not in found  # not a second person
    assert found["Москва"].kind == "place"


def test_namesakes_stay_apart_and_a_surname_shared_by_two_people_joins_neither() -> None:
    found = by_name(
        article_entities(
            "Иванка Трамп прилетела в Париж вместе с отцом. Дональд Трамп провёл там переговоры. "
            "Трамп не дал комментариев."
        )
    )
    assert found["Иванка Трамп"].mentions == 1
    assert found["Дональд Трамп"].mentions == 1
    assert found["Трамп"].kind == "person"  # which of the two is not said


def test_titles_before_a_name_and_glosses_after_it_are_not_part_of_it() -> None:
    assert cleaned("person", "президент Франции Эммануэль Макрон") == "Эммануэль Макрон"
    assert cleaned("person", "Император Акихито") == "Акихито"
    assert cleaned("person", "Джей Зи (Jay-Z)") == "Джей Зи"


def test_a_country_named_by_its_adjective_is_the_country_but_a_language_is_not() -> None:
    found = by_name(
        article_entities(
            "Российские власти ответили быстро. Документ перевели на английский язык, а британский "
            "посол его прочитал."
        )
    )
    assert found["Россия"].kind == "place"
    assert "Российские" in found["Россия"].variants
    assert "Великобритания" in found
    assert not any("англ" in n.key for n in found.values())


def test_an_organisation_followed_by_its_country_is_counted_alone_and_with_it() -> None:
    found = by_name(
        article_entities("Сотрудники ФСБ России задержали подозреваемого, сообщило правительство.")
    )
    assert found["ФСБ"].kind == "organization"
    assert found["ФСБ России"].kind == "organization"
    assert found["Россия"].kind == "place"
    assert found["правительство"].kind == "organization"


def test_a_headline_and_the_caption_under_it_are_two_mentions_not_one_name() -> None:
    found = article_entities("Лионель Месси женился\n\nЛионель Месси\nЗвезда «Барселоны» сыграл свадьбу.")
    people = [n for n in found if n.kind == "person"]
    assert [p.name for p in people] == ["Лионель Месси"]
    assert people[0].mentions == 2


def test_media_and_networks_are_not_organisations() -> None:
    found = article_entities("Об этом сообщили СМИ со ссылкой на пост в Twitter.")
    assert not any(n.key in ("сми", "twitter") for n in found)


@pytest.mark.parametrize(
    ("kind", "said", "nominative"),
    [
        ("person", "Бориса Джонсона", "Борис Джонсон"),
        ("person", "Анны Петровой", "Анна Петрова"),
        ("organization", "Верховного суда Испании", "Верховный суд Испании"),
        ("place", "Нью-Йорке", "Нью-Йорк"),
    ],
)
def test_names_are_given_in_the_nominative(kind: str, said: str, nominative: str) -> None:
    assert nominative_name(kind, said) == nominative
    assert identity(said) == identity(nominative)


def test_mentions_are_grouped_whatever_their_source() -> None:
    found = entities_of([("person", "Сергея Шойгу"), ("person", "Шойгу"), ("place", "американских")])
    assert [(n.name, n.mentions) for n in found] == [("Сергей Шойгу", 2), ("США", 1)]
