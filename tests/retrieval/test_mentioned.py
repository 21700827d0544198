"""The entities most mentioned among a search's results (:mod:`retrieval.entities.mentioned`)."""

from __future__ import annotations

from retrieval.entities.index import Entity
from retrieval.entities.mentioned import most_mentioned
from retrieval.records import Chunk, Passage


def _passage(article_id: str, *entities: str) -> Passage:
    return Passage(Chunk(article_id, 0, "…", 0, 1, article_id), 1.0, entities=entities)


def _entity(kind: str, name: str, articles: int = 1) -> Entity:
    return Entity(kind, name, (name,), {"202501": articles}, {})


NAMES = {
    "person:дональд трамп": _entity("person", "Дональд Трамп", 50),
    "person:иванка трамп": _entity("person", "Иванка Трамп", 5),
    "person:трамп": _entity("person", "Трамп", 30),
    "person:владимир путин": _entity("person", "Владимир Путин", 40),
    "person:путин": _entity("person", "Путин", 20),
    "place:москва": _entity("place", "Москва", 90),
}


def test_counts_articles_not_passages_and_needs_two_results() -> None:
    passages = [
        _passage("a", "place:москва", "person:владимир путин"),
        _passage("a", "place:москва", "person:владимир путин"),  # the same article again
        _passage("b", "place:москва"),
        _passage("c", "person:дональд трамп"),
    ]
    counted = most_mentioned(passages, NAMES)
    assert [(c.name, c.articles) for c in counted] == [("Москва", 2)]


def test_a_surname_alone_joins_its_one_full_name_but_not_a_shared_one() -> None:
    passages = [
        _passage("a", "person:владимир путин", "person:дональд трамп", "person:иванка трамп"),
        _passage("b", "person:путин", "person:трамп"),
        _passage("c", "person:трамп"),
    ]
    counted = {c.name: c.articles for c in most_mentioned(passages, NAMES)}
    assert counted == {"Владимир Путин": 2, "Трамп": 2}  # Donald or Ivanka: "Трамп" stays itself


def test_ties_go_to_the_name_the_archive_mentions_more_and_the_limit_holds() -> None:
    passages = [_passage(a, "place:москва", "person:владимир путин") for a in "abc"]
    counted = most_mentioned(passages, NAMES, limit=1)
    assert [c.name for c in counted] == ["Москва"]
    assert most_mentioned(passages, {}) == []
