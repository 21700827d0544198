"""Names and numbers of a question found in a passage, across scripts, and the abstention signals."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.answer.coverage import coverage, key_terms
from retrieval.answer.relevance import FEATURES, features, fit_calibration
from retrieval.names import transcribe
from retrieval.records import Chunk, Passage
from retrieval.search.dates import DateIntent
from retrieval.search.searcher import SearchResult


def test_key_terms_are_names_and_numbers_not_question_words_or_initials() -> None:
    assert key_terms("In what city did A. P. Chekhov die in 1904?") == ["Chekhov", "1904"]
    assert key_terms("Who represents the US in Paris?") == ["US", "Paris"]
    assert key_terms("Кто такой Уиткофф и что он делал в Париже?") == ["Уиткофф", "Париже"]
    assert key_terms("what happened yesterday?") == []


@pytest.mark.parametrize(
    ("english", "russian"),
    [
        ("Witkoff", "Уиткоффа"),
        ("Kushner", "Кушнером"),
        ("Chekhov", "Чехов"),
        ("Luther", "Лютера"),
        ("Turing", "Тьюринга"),
        ("Calcutta", "Калькутте"),
        ("Mozart", "Моцарт"),
    ],
)
def test_english_names_match_their_russian_spelling(english: str, russian: str) -> None:
    assert coverage(f"What did {english} say?", f"Об этом сказал {russian} в среду.") == 1.0


def test_unrelated_words_do_not_match() -> None:
    assert coverage("What did Mozart write?", "Министерство культуры назвало фильмы.") == 0.0
    assert coverage("Where is Calcutta?", "Кадыров поставил задачу перед клубом.") == 0.0


def test_coverage_is_the_share_of_terms_and_numbers_must_match_exactly() -> None:
    text = "Уиткофф прилетел в Париж 6 января 2026 года."
    assert coverage("Did Witkoff fly to Berlin in 2026?", text) == pytest.approx(2 / 3)
    assert coverage("Did Witkoff fly in 2025?", text) == pytest.approx(1 / 2)
    assert coverage("Когда Уиткофф прилетел в Париж?", text) == 1.0
    assert coverage("what happened?", text) is None


def test_odd_tokens_do_not_break_matching() -> None:
    assert coverage("Was it A- or B'?", "Оценка A- в тексте") == 0.5  # "B'" is the name "B"
    assert coverage("What is X-ray?", "") == 0.0


def test_transcription_is_cyrillic() -> None:
    assert transcribe("Shcherbakov") == "щербаков"
    assert transcribe("Jackson") == "джаксон"
    assert transcribe("Cecil") == "сесил"


def search_result(query: str, *texts: str) -> SearchResult:
    passages = [
        Passage(Chunk("a", i, t, 0, len(t), "t", None, None, None), 10.0 - i) for i, t in enumerate(texts)
    ]
    return SearchResult(passages, DateIntent(None, False, None), "en", 0.8, 3.0, query=query)


def test_features_report_whether_the_best_passages_mention_the_names() -> None:
    names = {n: i for i, n in enumerate(FEATURES)}
    mentioned = features(search_result("Who is Witkoff?", "Уиткофф — спецпосланник.", "Другое."))
    second = features(search_result("Who is Witkoff?", "Другое.", "Уиткофф — спецпосланник."))
    none_asked = features(search_result("who is the envoy?", "Уиткофф — спецпосланник."))
    assert (mentioned[names["names_top"]], mentioned[names["names_top3"]]) == (1.0, 1.0)
    assert (second[names["names_top"]], second[names["names_top3"]]) == (0.0, 1.0)
    assert none_asked[names["names_asked"]] == 0.0 and none_asked[names["names_top"]] == 0.5
    assert len(mentioned) == len(FEATURES)


def test_calibration_refuses_at_most_the_share_of_each_kind() -> None:
    rng = np.random.default_rng(0)
    answerable = rng.normal(1.0, 0.5, (400, 2))
    off = rng.normal(-1.0, 0.5, (200, 2))
    x = np.vstack([answerable, off])
    y = np.array([True] * 400 + [False] * 200)
    kinds = ["a"] * 200 + ["b"] * 200 + ["off"] * 200
    cal = fit_calibration(x, y, 0.05, kinds)
    refused = np.array([cal.score(v) < cal.threshold for v in x])
    assert refused[:200].mean() <= 0.05 and refused[200:400].mean() <= 0.05
    assert refused[400:].mean() > 0.9
