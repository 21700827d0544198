"""BM25 over chunks: inflected Russian and English words meet, filters still fill k, edges are empty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.search.lexical import LexicalIndex, tokenize

XQUAD = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev" / "archive" / "xquad.jsonl"

NEWS = [
    ("ru-witkoff", "Стив Уиткофф прилетел в Москву и встретился с президентом."),
    ("ru-talks", "Переговоры в Женеве продолжатся на следующей неделе, сообщил МИД."),
    ("ru-oil", "Цены на нефть выросли после решения ОПЕК+ сократить добычу."),
    ("en-lawyer", "The lawyer representing the family said the court would rule in March."),
    ("en-oil", "Oil prices rose after OPEC+ agreed to cut output."),
    ("ru-football", "Защита «Пантер» уступила всего 308 очков за сезон."),
]


@pytest.fixture(scope="module")
def news() -> LexicalIndex:
    return LexicalIndex.build(NEWS)


def keys(results: list[tuple[str, float]]) -> list[str]:
    return [key for key, _ in results]


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


def test_russian_query_finds_another_inflection(news: LexicalIndex) -> None:
    assert keys(news.search("Что сказал Уиткоффа?", 3))[0] == "ru-witkoff"
    assert keys(news.search("о переговорах в Женеве", 3))[0] == "ru-talks"


def test_english_query_matches_english_stems(news: LexicalIndex) -> None:
    assert keys(news.search("Who represents the family?", 3)) == ["en-lawyer"]


def test_numbers_are_searchable(news: LexicalIndex) -> None:
    assert keys(news.search("308", 5)) == ["ru-football"]


def test_results_are_best_first_with_positive_scores(news: LexicalIndex) -> None:
    results = news.search("нефть добыча oil prices", 10)
    assert set(keys(results)) == {"ru-oil", "en-oil"}
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)


def test_k_limits_the_results(news: LexicalIndex) -> None:
    assert len(news.search("нефть oil", 1)) == 1
    assert news.search("нефть", 0) == []


def test_nothing_known_gives_nothing(news: LexicalIndex) -> None:
    assert news.search("квазар пульсар", 5) == []
    assert news.search("и в на the of", 5) == []
    assert news.search("", 5) == []


def test_empty_index() -> None:
    index = LexicalIndex.build([])
    assert len(index) == 0
    assert index.search("нефть", 5) == []


def test_len_and_empty_texts() -> None:
    index = LexicalIndex.build([("a", ""), ("b", "и в на"), ("c", "нефть")])
    assert len(index) == 3
    assert keys(index.search("нефти", 5)) == ["c"]


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="more than once: a"):
        LexicalIndex.build([("a", "x"), ("b", "y"), ("a", "z")])


def test_allowed_filter_still_returns_k_results() -> None:
    # 40 passages mention oil; the allowed ones are the longest, so they score lowest and sit below
    # every other candidate: the index must look past the first k (and past 4k) to fill k.
    items = [(f"short-{i}", f"нефть подорожала {i}") for i in range(36)]
    items += [(f"long-{i}", "нефть " + "рынок " * 30 + str(i)) for i in range(4)]
    index = LexicalIndex.build(items)
    unfiltered = keys(index.search("нефть", 40))
    assert unfiltered[-4:] == [f"long-{i}" for i in range(4)]

    allowed = {"long-1", "long-2", "long-3"}
    results = index.search("нефть", 3, allowed=allowed.__contains__)
    assert set(keys(results)) == allowed
    assert index.search("нефть", 5, allowed=allowed.__contains__) == results  # only 3 exist
    assert index.search("нефть", 3, allowed=lambda key: False) == []


def test_real_archive_question_finds_its_paragraph() -> None:
    """An XQuAD question from the dev set, against every paragraph of the 24 Wikipedia articles."""
    items = []
    for line in XQUAD.read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        for n, paragraph in enumerate(article["text"].split("\n\n")):
            items.append((f"{article['id']}#{n}", paragraph))
    index = LexicalIndex.build(items)
    assert len(index) == len(items) > 100
    top = keys(index.search("Сколько очков уступила защита Пэнтерс?", 3))
    assert top[0] == "xquad-00#0"
