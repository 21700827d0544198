"""Search terms: stems that meet across inflections, name keys that meet across scripts, BM25 scores."""

from __future__ import annotations

from collections import Counter

import pytest

from retrieval.search.scoring import bm25
from retrieval.terms import KEY_PREFIX, name_keys, query_keys, tokenize

NEWS = [
    "Стив Уиткофф прилетел в Москву и встретился с президентом.",
    "Переговоры в Женеве продолжатся на следующей неделе, сообщил МИД.",
    "Цены на нефть выросли после решения ОПЕК+ сократить добычу.",
    "The lawyer representing the family said the court would rule in March.",
    "Oil prices rose after OPEC+ agreed to cut output.",
    "Защита «Пантер» уступила всего 308 очков за сезон.",
]
DOCS = [tokenize(t) for t in NEWS]
DF = Counter(term for doc in DOCS for term in set(doc))
AVG = sum(map(len, DOCS)) / len(DOCS)


def ranked(query: str) -> list[int]:
    scores = bm25(tokenize(query), DOCS, DF, len(DOCS), AVG)
    return [int(i) for i in sorted(range(len(DOCS)), key=lambda i: -scores[i]) if scores[i] > 0]


def test_tokenize_reduces_inflections_to_one_stem() -> None:
    assert tokenize("Уиткоффа") == tokenize("Уиткофф") == tokenize("Уиткоффом")
    assert tokenize("переговорах") == tokenize("переговоры")
    assert tokenize("represents") == tokenize("representing")
    assert tokenize("ёлка") == tokenize("елки")


def test_tokenize_keeps_numbers_drops_stop_words_and_splits_hyphens() -> None:
    assert tokenize("308 очков в 2026 году") == ["308", "очк", "2026", "год"]
    assert tokenize("the and и в на of") == []
    assert tokenize("Нью-Йорк") == ["нью", "йорк", "ньюйорк"]
    assert tokenize("COVID-19") == ["covid", "19", "covid19"]
    assert tokenize("") == []


def test_bm25_finds_another_inflection_and_english_stems() -> None:
    assert ranked("Что сказал Уиткоффа?")[0] == 0
    assert ranked("о переговорах в Женеве")[0] == 1
    assert ranked("Who represents the family?") == [3]
    assert ranked("308") == [5]


def test_bm25_rare_terms_weigh_more_than_common_ones() -> None:
    docs = [["нефть", "рынок"], ["нефть"], ["нефть", "опек"]]
    df = {"нефть": 900, "рынок": 300, "опек": 3}  # archive-wide frequencies, not the candidates'
    scores = bm25(["нефть", "опек", "рынок"], docs, df, 1000, 2.0)
    assert scores[2] > scores[0] > scores[1] > 0


def test_bm25_of_unknown_or_empty_queries_is_zero() -> None:
    assert not ranked("квазар пульсар")
    assert not ranked("и в на the of")
    assert not ranked("")
    assert bm25(["нефть"], [], {"нефть": 1}, 0, 0.0).size == 0


def test_names_are_filed_under_their_stem_and_consonant_key() -> None:
    keys = name_keys("Соединенные Штаты представят Стив Уиткофф и Джаред Кушнер, 308 очков в 2026 году.")
    assert {"уиткофф", KEY_PREFIX + "ткф", "кушнер", KEY_PREFIX + "кшнр", "308", "2026"} <= set(keys)
    assert "очк" not in keys  # short lower-case words are not keys
    assert KEY_PREFIX + "рстр" not in name_keys("всё в нижнем регистре")  # consonant keys: names only
    assert set(name_keys("всё в нижнем регистре")) == set(tokenize("нижнем регистре"))  # rare words


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Who is Witkoff?", "Уиткоффа"),
        ("What did Kushner say?", "Кушнером"),
        ("Trump and Macron", "Трамп"),
        ("What did Zelensky say?", "Зеленский"),
    ],
)
def test_an_english_name_meets_its_russian_spelling_by_key(question: str, name: str) -> None:
    assert set(query_keys(question)) & set(name_keys(f"Об этом сказал {name} вчера."))


def test_keyword_queries_look_up_every_word_full_questions_only_their_names() -> None:
    assert set(query_keys("уиткофф кушнер")) >= {"уиткофф", "кушнер"}
    assert query_keys("Кто представит США на переговорах?") == ["сша", KEY_PREFIX + "сш"]
    assert "переговор" not in query_keys("Кто представит США на переговорах?")
