"""Operators and ``who:`` in search and in the timeline's counts, on articles the test writes
(retrieval.search.searcher, retrieval.search.qualifying, retrieval.search.named)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest

from ingest.loaders.article import DEFAULT_LIMITS, RawArticle, add_article
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.records import LoadResult, SearchFilters
from retrieval.search.config import SearchConfig
from retrieval.search.named import UnknownName
from retrieval.search.operators import OperatorError
from retrieval.search.searcher import Searcher
from retrieval.search.timeline import count_timeline
from retrieval.store.chunks import ChunkStore

TEXTS = {
    "house": "В Белый дом пришли представители профсоюзов. Переговоры о зарплатах продолжатся в среду.",
    "houses": "Представитель Белого дома заявил о новых санкциях и о переговорах с профсоюзами.",
    "china": "Выборы в парламент прошли спокойно, но наблюдатели из Китая на них не приехали.",
    "vote": "Выборы в парламент прошли спокойно, явка на выборах составила шестьдесят процентов.",
    "putin": "Владимир Путин провёл в Кремле совещание по экономике и бюджету.",
    "trump": "Дональд Трамп выступил на митинге в Огайо и рассказал о бюджете.",
    "summit": "Саммит лидеров прошёл в Женеве без громких заявлений о бюджете.",
    "en-house": "Officials at the White House said the wage talks would continue next week.",
    "en-houses": "The white houses of the old town were painted again, officials said after talks.",
    "en-china": "Elections were held in March; observers from China did not come to the elections.",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Iterator[ChunkStore]:
    data = tmp_path_factory.mktemp("operators")
    result = LoadResult()
    for n, (aid, text) in enumerate(TEXTS.items()):
        raw = RawArticle(text, id=aid, title=f"Новость {n}", date=f"2025-03-{n + 1:02d}", source="Пример")
        add_article(result, raw, DEFAULT_LIMITS, origin=f"test:{aid}", fallback_id=aid)
    store = ChunkStore.open(None, data / "chroma", "news")
    Ingestion(store, e5, lock_dir=data / "locks").run_articles(result.articles, "test:")
    yield store


def found(
    store: ChunkStore, e5: E5Embeddings, query: str, config: SearchConfig | None = None, **filters: str
) -> set[str]:
    searcher = Searcher(store, e5, config=config, today=lambda: date(2025, 4, 1))
    result = searcher.search(query, 10, SearchFilters(**filters), all_copies=True)  # type: ignore[arg-type]
    return {p.article_id for p in result.passages}


def test_an_exact_phrase_finds_it_as_written_and_not_its_other_forms(
    store: ChunkStore, e5: E5Embeddings
) -> None:
    assert found(store, e5, '"Белый дом" переговоры') == {"house"}
    assert found(store, e5, "Белый дом переговоры") >= {"house", "houses"}  # without quotes: any form
    assert found(store, e5, '"White House" talks') == {"en-house"}  # not "white houses"


def test_a_word_left_out_leaves_out_its_every_form(store: ChunkStore, e5: E5Embeddings) -> None:
    assert "china" in found(store, e5, "выборы в парламент")
    left = found(store, e5, "выборы в парламент -Китай")  # "Китая" in the article
    assert "vote" in left and "china" not in left
    english = found(store, e5, "elections observers -China")
    assert "en-china" not in english


def test_or_asks_for_either_side_in_russian_and_in_english(store: ChunkStore, e5: E5Embeddings) -> None:
    assert found(store, e5, "Путин OR Трамп бюджет") == {"putin", "trump"}
    assert found(store, e5, "Путина ИЛИ Трампа") == {"putin", "trump"}  # either, in any form
    assert found(store, e5, "Putin OR Trump budget") == {"putin", "trump"}  # across scripts, as search


def test_a_phrase_is_found_when_the_nearest_chunks_miss_it(store: ChunkStore, e5: E5Embeddings) -> None:
    narrow = SearchConfig(dense_pool=1, qualifying_pool=1, key_df_max=0, key_pool=1, overlap_pool=0)
    query = '"Белый дом" митинг в Огайо'  # the nearest chunk is Trump's rally
    assert found(store, e5, query, narrow) == {"house"}
    assert found(store, e5, query, replace(narrow, matched_pool=0)) == set()  # the phrase lookup found it


def test_who_keeps_the_articles_that_name_the_entity_in_any_form(store: ChunkStore, e5: E5Embeddings) -> None:
    assert found(store, e5, "совещание митинг бюджет", who="Putin") == {"putin"}
    assert found(store, e5, "бюджет", who="Трампа") == {"trump"}
    with pytest.raises(UnknownName, match="No article names «Пупкин»"):
        found(store, e5, "бюджет", who="Пупкин")


def test_a_query_whose_operators_cannot_be_read_is_an_error(store: ChunkStore, e5: E5Embeddings) -> None:
    for query in ('"Белый дом', "бюджет OR", "-Китай"):
        with pytest.raises(OperatorError):
            found(store, e5, query)


def test_a_timeline_counts_only_the_articles_that_qualify(store: ChunkStore) -> None:
    assert count_timeline(store, "Путин OR Трамп").total == 2
    assert count_timeline(store, "бюджет").total == 3
    assert count_timeline(store, "бюджет -Трамп").total == 2
    assert count_timeline(store, '"Белый дом"').total == 1
    assert count_timeline(store, "бюджет", SearchFilters(who="Путин")).total == 1
