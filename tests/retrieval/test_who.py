"""``who``: a name asked in any form or script, answered from the entity index and the articles' facts
(real recogniser, real embedded Chroma; articles the test writes)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

from retrieval.entities.article import article_entities
from retrieval.entities.index import Filed, changes, entity_id
from retrieval.entities.most_named import most_named
from retrieval.entities.who import Fact, Window, who
from retrieval.store.client import make_client
from retrieval.store.entities import EntityIndex
from retrieval.store.opening import open_collection

ARTICLES = [
    (
        "a1",
        "2025-01-15",
        "ТАСС",
        "Путин провёл встречу",
        "Владимир Путин встретился в Кремле с Сергеем Шойгу.",
    ),
    (
        "a2",
        "2025-02-03",
        "РБК",
        "Песков ответил",
        "Дмитрий Песков заявил, что Путин ответит на вопросы. Песков добавил детали.",
    ),
    (
        "a3",
        "2025-02-20",
        "ТАСС",
        "Визит в Минск",
        "Владимира Путина встретил в Минске Александр Лукашенко. С Путиным был Сергей Шойгу.",
    ),
    (
        "a4",
        "2025-03-11",
        "Интерфакс",
        "Заявление Кремля",
        "Дмитрий Песков рассказал о планах Владимира Путина на весну.",
    ),
    ("a5", "2025-03-12", "РБК", "Погода", "В Москве ожидается снег, сообщил Гидрометцентр."),
    ("a6", None, "ТАСС", "Без даты", "Владимир Путин подписал указ."),
]


def archive(tmp_path: Path) -> tuple[EntityIndex, dict[str, Fact]]:
    index = EntityIndex(open_collection(make_client(None, tmp_path), "t-entities"), batch=100)
    facts: dict[str, Fact] = {}
    filed = []
    for aid, day, outlet, title, text in ARTICLES:
        named = article_entities(f"{title}\n\n{text}")
        filed.append(Filed(aid, day, outlet, named))
        ids = tuple(entity_id(n.kind, n.key) for n in named)
        facts[aid] = Fact(aid, title, day, outlet, f"https://example.org/{aid}", ids)
    index.change(changes(filed, []))
    return index, facts


def reader(facts: dict[str, Fact]) -> Callable[[Sequence[str]], Mapping[str, Fact]]:
    def read(ids: Sequence[str]) -> Mapping[str, Fact]:
        return {i: facts[i] for i in ids if i in facts}

    return read


def test_a_latin_name_gets_its_articles_first_and_last_mention_outlets_and_months(tmp_path: Path) -> None:
    index, facts = archive(tmp_path)
    report = who("Putin", index, reader(facts), Window(), total_articles=len(ARTICLES))
    assert report is not None
    assert (report.name, report.kind) == ("Владимир Путин", "person")
    assert set(report.article_ids) == {"a1", "a2", "a3", "a4", "a6"}  # "Путин" alone in a2 too
    assert report.article_ids[0] == "a4" and report.article_ids[-1] == "a6"  # newest first, undated last
    assert report.first is not None and report.first.article_id == "a1"
    assert report.last is not None and report.last.url == "https://example.org/a4"
    assert dict(report.outlets)["ТАСС"] == 3
    assert dict(report.periods) == {"2025-01": 1, "2025-02": 2, "2025-03": 1}
    body = report.json()
    assert body["articles"] == 5 and body["first"]["date"] == "2025-01-15"
    assert {"name", "kind", "variants", "article_ids", "last", "outlets", "periods", "co_mentioned"} <= set(
        body
    )


def test_the_window_and_the_outlet_narrow_what_counts(tmp_path: Path) -> None:
    index, facts = archive(tmp_path)
    spring = who("Путина", index, reader(facts), Window(since=date(2025, 2, 10)), total_articles=6)
    assert spring is not None and set(spring.article_ids) == {"a3", "a4"}
    tass = who("Путин", index, reader(facts), Window(outlet="тасс"), total_articles=6)
    assert tass is not None and set(tass.article_ids) == {"a1", "a3", "a6"}


def test_the_names_beside_one_are_those_named_with_it_twice_or_more(tmp_path: Path) -> None:
    index, facts = archive(tmp_path)
    report = who("Vladimir Putin", index, reader(facts), Window(), total_articles=6)
    assert report is not None
    beside = {c.name: c.articles for c in report.co_mentioned}
    assert beside.get("Сергей Шойгу") == 2 and beside.get("Дмитрий Песков") == 2
    assert "Александр Лукашенко" not in beside  # once is chance


def test_a_name_nobody_mentions_gets_no_report(tmp_path: Path) -> None:
    index, facts = archive(tmp_path)
    assert who("Witkoff", index, reader(facts), Window(), total_articles=6) is None


def test_the_most_named_of_a_period_count_the_days_asked_and_the_outlet(tmp_path: Path) -> None:
    index, _ = archive(tmp_path)
    months = ["202501", "202502", "202503", "undated"]
    people = most_named(index, Window(), months, kind="person", limit=3)
    assert people[0].name == "Владимир Путин" and people[0].articles == 5  # "Путин" alone in a2 too
    assert {p.name: p.articles for p in people[1:]} == {"Дмитрий Песков": 2, "Сергей Шойгу": 2}
    since = {
        p.name: p.articles for p in most_named(index, Window(since=date(2025, 2, 10)), months, kind="person")
    }
    assert since["Владимир Путин"] == 2 and since["Дмитрий Песков"] == 1  # 3 February is left out
    rbk = most_named(index, Window(outlet="РБК"), months, kind="person")
    assert {p.name: p.articles for p in rbk} == {"Владимир Путин": 1, "Дмитрий Песков": 1}
    places = most_named(index, Window(), months, kind="place")
    assert {p.name for p in places} >= {"Минск", "Москва"}


def test_places_are_counted_as_named_not_with_a_longer_name_that_holds_their_word(tmp_path: Path) -> None:
    index = EntityIndex(open_collection(make_client(None, tmp_path), "p-entities"), batch=100)
    texts = [
        "Цены в Европе выросли.",
        "Европа ждёт зиму.",
        "Туристы едут в Центральную Европу.",
        "В России похолодало.",
        "Россия и Европа спорят.",
        "Историки изучают Древнюю Русь.",
    ]
    filed = [Filed(f"a{i}", "2025-01-10", "ТАСС", article_entities(t)) for i, t in enumerate(texts)]
    index.change(changes(filed, []))
    places = {p.name: p.articles for p in most_named(index, Window(), ["202501"], kind="place")}
    assert places == {"Европа": 3, "Россия": 2, "Центральная Европа": 1, "Древняя Русь": 1}
