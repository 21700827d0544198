"""The entity index's records as articles are filed, updated and removed; a name asked in any form or
script finds its entity; the entities named beside one ranked by lift (pure: retrieval.entities)."""

from __future__ import annotations

from retrieval.entities.article import Named
from retrieval.entities.co_mentions import beside
from retrieval.entities.index import Entity, Filed, changes, entity_id, reposted
from retrieval.entities.lookup import Resolved, resolve, wanted

PUTIN = Named("person", "Владимир Путин", "владимир путин", ("Владимира Путина", "Путин"), 2)
PESKOV = Named("person", "Дмитрий Песков", "дмитрий песков", ("Дмитрий Песков",), 1)
IVANKA = Named("person", "Иванка Трамп", "иванка трамп", ("Иванка Трамп",), 1)
DONALD = Named("person", "Дональд Трамп", "дональд трамп", ("Дональда Трампа",), 1)


def filed(records: dict[str, Entity], added: list[Filed], removed: list[Filed]) -> dict[str, Entity]:
    """Apply a change to ``records`` as the store does."""
    out = dict(records)
    for eid, change in changes(added, removed).entities.items():
        meta = change.applied(out[eid].metadata() if eid in out else None)
        if meta is None:
            out.pop(eid, None)
        else:
            out[eid] = Entity.from_metadata(meta)
    return out


def test_an_entity_counts_its_articles_by_month_and_outlet_and_keeps_the_forms_seen() -> None:
    records = filed(
        {},
        [
            Filed("a1", "2025-03-02", "ТАСС", (PUTIN, PESKOV)),
            Filed("a2", "2025-04-10", "РБК", (PUTIN,)),
            Filed("a3", None, "ТАСС", (PUTIN,)),
        ],
        [],
    )
    putin = records[entity_id("person", "владимир путин")]
    assert putin.name == "Владимир Путин"
    assert putin.articles == 3
    assert putin.months == {"202503": 1, "202504": 1, "undated": 1}
    assert putin.outlets == {"ТАСС": 2, "РБК": 1}
    assert "Владимира Путина" in putin.variants


def test_an_update_moves_an_article_and_a_removal_drops_the_entity_it_alone_named() -> None:
    first = Filed("a1", "2025-03-02", "ТАСС", (PUTIN, PESKOV))
    records = filed({}, [first], [])
    moved = Filed("a1", "2025-05-01", "ТАСС", (PUTIN,))
    records = filed(records, [moved], [first])
    assert records[entity_id("person", "владимир путин")].months == {"202505": 1}
    assert entity_id("person", "дмитрий песков") not in records
    assert filed(records, [], [moved]) == {}


def test_month_postings_keep_one_row_per_article_newest_first() -> None:
    rows = reposted(
        [["a1", "2025-03-02", "ТАСС"]], [["a2", "2025-03-20", "РБК"], ["a1", "2025-03-05", "ТАСС"]], set()
    )
    assert rows == [["a2", "2025-03-20", "РБК"], ["a1", "2025-03-05", "ТАСС"]]
    assert reposted(rows, [], {"a2"}) == [["a1", "2025-03-05", "ТАСС"]]


def test_a_name_asked_inflected_or_in_latin_letters_finds_its_cyrillic_entity() -> None:
    articles = [
        Filed("a1", "2025-03-02", "ТАСС", (PUTIN, PESKOV, IVANKA, DONALD)),
        Filed("a2", "2025-03-03", "ТАСС", (Named("person", "Путин", "путин", ("Путина",), 1),)),
        Filed("a3", "2025-03-04", "ТАСС", (Named("person", "Трамп", "трамп", ("Трампа",), 1), DONALD)),
    ]
    records = filed({}, articles, [])
    words = changes(articles, []).words

    def asked(name: str) -> Resolved | None:
        return resolve(name, {eid: records[eid] for key in wanted(name) for eid in words.get(key, ())})

    putin = entity_id("person", "владимир путин")
    for name in ("Putin", "Путина", "Владимир Путин", "Vladimir Putin", "путин"):
        found = asked(name)
        assert found is not None and found.meant == putin, name
        assert found.same == (entity_id("person", "путин"),)  # the articles that name him by surname
    ivanka = asked("Ivanka Trump")
    assert ivanka is not None and ivanka.meant == entity_id("person", "иванка трамп")
    assert ivanka.same == ()  # not her father's articles
    trump = asked("Trump")
    assert trump is not None and trump.meant == entity_id("person", "дональд трамп")  # the most named
    assert entity_id("person", "иванка трамп") in trump.others
    assert asked("Нобель") is None


def test_a_place_or_organisation_is_meant_as_named_and_never_as_part_of_a_longer_name() -> None:
    def place(name: str, key: str, *forms: str) -> Named:
        return Named("place", name, key, forms or (name,), 1)

    usa = place("США", "сша")
    russia = place("Россия", "россия", "России")  # its consonant key is Русь's
    articles = [
        Filed("a1", "2025-03-02", "ТАСС", (usa, russia)),
        Filed("a2", "2025-03-03", "ТАСС", (usa, russia)),
        Filed(
            "a3",
            "2025-03-04",
            "ТАСС",
            (Named("organization", "Конгресс США", "конгресс сша", ("Конгресса США",), 1),),
        ),
        Filed("a4", "2025-03-05", "ТАСС", (place("Древняя Русь", "древний русь", "Древней Руси"),)),
        Filed("a5", "2025-03-06", "ТАСС", (place("Русь", "русь", "Руси"),)),
    ]
    records = filed({}, articles, [])
    words = changes(articles, []).words

    def asked(name: str) -> Resolved | None:
        return resolve(name, {eid: records[eid] for key in wanted(name) for eid in words.get(key, ())})

    for name, meant in (("США", "place:сша"), ("Россия", "place:россия"), ("Руси", "place:русь")):
        found = asked(name)
        assert found is not None and (found.meant, found.same) == (meant, ()), name
    rus = asked("Древняя Русь")
    assert rus is not None and rus.meant == "place:древний русь" and rus.same == ()


def test_the_entities_beside_one_are_ranked_by_lift_not_by_raw_count() -> None:
    ranked_beside = beside(
        "person:a",
        together={"person:b": 12, "place:russia": 40, "person:once": 1},
        articles_of={"person:b": 30, "place:russia": 9000, "person:once": 1},
        own=50,
        total=20000,
    )
    assert [b.entity_id for b in ranked_beside] == ["person:b", "place:russia"]  # a single article is chance
    assert ranked_beside[0].lift > ranked_beside[1].lift
