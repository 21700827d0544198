"""The entity index as the store keeps it (a real embedded Chroma): records read by id, kept current as
articles are filed, updated and removed."""

from __future__ import annotations

from pathlib import Path

from retrieval.entities.article import Named
from retrieval.entities.index import Filed, changes, entity_id
from retrieval.entities.lookup import resolve
from retrieval.store.client import make_client
from retrieval.store.entities import EntityIndex
from retrieval.store.opening import open_collection

PUTIN = Named("person", "Владимир Путин", "владимир путин", ("Владимира Путина",), 1)
SURNAME = Named("person", "Путин", "путин", ("Путина",), 1)
PESKOV = Named("person", "Дмитрий Песков", "дмитрий песков", ("Дмитрий Песков",), 1)
MOSCOW = Named("place", "Москва", "москва", ("Москве",), 1)


def index(tmp_path: Path) -> EntityIndex:
    client = make_client(None, tmp_path / "data")
    return EntityIndex(open_collection(client, "t-entities"), batch=100)


def test_filed_articles_are_found_by_a_latin_name_newest_first_and_counted_by_month(tmp_path: Path) -> None:
    store = index(tmp_path)
    store.change(
        changes(
            [
                Filed("a1", "2025-03-02", "ТАСС", (PUTIN, PESKOV, MOSCOW)),
                Filed("a2", "2025-04-10", "РБК", (SURNAME, MOSCOW)),
                Filed("a3", None, "ТАСС", (PUTIN,)),
            ],
            [],
        )
    )
    found = resolve("Putin", store.candidates("Putin"))
    assert found is not None
    assert found.meant == entity_id("person", "владимир путин")
    rows = [row for eid in (found.meant, *found.same) for row in store.articles(eid)]
    assert sorted(r[0] for r in rows) == ["a1", "a2", "a3"]
    assert [r[0] for r in store.articles(found.meant)] == ["a1", "a3"]  # dated first, undated last
    assert store.most_named(["202503", "202504"], limit=1) == {entity_id("place", "москва"): 2}


def test_an_update_and_a_removal_keep_the_records_current(tmp_path: Path) -> None:
    store = index(tmp_path)
    first = Filed("a1", "2025-03-02", "ТАСС", (PUTIN, PESKOV))
    store.change(changes([first], []))
    moved = Filed("a1", "2025-05-01", "Интерфакс", (PUTIN,))
    store.change(changes([moved], [first]))
    putin = store.entities([entity_id("person", "владимир путин")])[entity_id("person", "владимир путин")]
    assert putin.months == {"202505": 1}
    assert putin.outlets == {"Интерфакс": 1}
    assert store.entities([entity_id("person", "дмитрий песков")]) == {}
    assert store.articles(entity_id("person", "владимир путин")) == [["a1", "2025-05-01", "Интерфакс"]]
    store.change(changes([], [moved]))
    assert store.entities([entity_id("person", "владимир путин")]) == {}
    assert store.most_named(["202503", "202505"], limit=5) == {}
    left = store.collection.get()["ids"]
    assert left and all(rid.startswith("w:") for rid in left)  # only the word keys of the names seen
    assert store.candidates("Putin") == {}
