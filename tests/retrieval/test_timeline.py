"""Timelines count exactly the articles that mention the words: stemmed forms yes, a word inside another
no, an English name also in Cyrillic letters; within the filters; undated ones apart; per week or month.

The archive is ingested by the real pipeline from a generated JSON Lines file (the vectors come from the
test's hashing model: counting never reads them). What each article mentions is written down with it,
so the expected counts come from the data, not from the code under test.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from ingest.pipeline import Ingestion
from retrieval.records import SearchFilters, day_number
from retrieval.search.mentions import NoWords, mention_terms, text_mentions
from retrieval.search.timeline import (
    OTHER,
    UNKNOWN,
    Mention,
    TooManyQueries,
    build_timeline,
    count_timeline,
    count_timelines,
    period_starts,
)
from retrieval.store.chunks import ChunkStore
from retrieval.store.shapes import where
from tests.support.generate import article_text
from tests.support.hashing import HashingEmbeddings


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    day: date | None
    source: str
    words: frozenset[str]  # what it mentions, of: witkoff (any script), уиткофф (Cyrillic), мир, париж


START = date(2025, 9, 1)
OUTLETS = ["Вестник", "Газета", "Лента", "Пост", "Радио", "Сайт", "Эфир"]
MENTIONS = [  # (sentence, what it mentions)
    ("Уиткофф прилетел в Москву.", {"witkoff", "уиткофф"}),
    ("Встреча с Уиткоффом продлилась три часа.", {"witkoff", "уиткофф"}),
    ("Заявление Уиткоффа опубликовали вечером.", {"witkoff", "уиткофф"}),
    ("Steve Witkoff arrived in Paris.", {"witkoff"}),
    ("Мир ждёт решений.", {"мир"}),
    ("Речь шла о прочном мире в регионе.", {"мир"}),
    ("ПЕРЕГОВОРЫ О МИРЕ ПРОДОЛЖАТСЯ.", {"мир"}),
    ("Например, примирение сторон возможно.", set()),  # "мир" only inside other words
    ("Мировой рынок отреагировал спокойно.", set()),  # another stem
    ("Делегации встретились в Париже.", {"париж"}),
    ("Уиткофф и делегации встретились в Париже.", {"witkoff", "уиткофф", "париж"}),
]


def documents() -> list[Doc]:
    """Seventy articles over five months, each one sentence of MENTIONS amid generated text; every
    tenth is undated."""
    import random

    rng = random.Random(7)
    docs = []
    for i in range(70):
        sentence, words = MENTIONS[i % len(MENTIONS)]
        body = article_text(rng, "ru", (1, 2))
        text = f"{body}\n\n{sentence}" if i % 2 else f"{sentence}\n\n{body}"
        day = None if i % 10 == 9 else START + timedelta(days=(i * 37) % 150)
        docs.append(Doc(f"n{i}", text, day, OUTLETS[i % len(OUTLETS)], frozenset(words)))
    return docs


def write_jsonl(path: Path, docs: list[Doc]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            record = {"id": d.id, "title": f"Новость {d.id}", "source": d.source, "text": d.text}
            record |= {"date": d.day.isoformat()} if d.day else {}
            record |= {"url": f"https://example.org/{d.id}"}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ChunkStore:
    root = tmp_path_factory.mktemp("timeline")
    (root / "archive").mkdir()
    write_jsonl(root / "archive" / "news.jsonl", documents())
    store = ChunkStore.open(None, root / "chroma", "news")
    report = Ingestion(store, HashingEmbeddings(), lock_dir=root / "locks").run([root / "archive"])
    assert report.added == 70 and not report.skipped
    return store


def expected(word: str, keep: object = None) -> list[Doc]:
    return [d for d in documents() if word in d.words and (keep is None or keep(d))]  # type: ignore[operator]


def test_stemmed_forms_count_and_a_word_inside_another_does_not(store: ChunkStore) -> None:
    timeline = count_timeline(store, "мир")
    want = expected("мир")
    assert timeline.total == len(want) > 0
    assert timeline.undated == sum(d.day is None for d in want)
    assert sum(p.total for p in timeline.periods) == timeline.total - timeline.undated
    assert count_timeline(store, "Уиткоффом").total == len(expected("уиткофф"))


def test_an_english_name_counts_in_cyrillic_too_but_not_the_other_way(store: ChunkStore) -> None:
    assert count_timeline(store, "Witkoff").total == len(expected("witkoff"))
    assert count_timeline(store, "witkoff").total == len(expected("witkoff"))
    assert count_timeline(store, "Уиткофф").total == len(expected("уиткофф")) < len(expected("witkoff"))


def test_several_words_count_the_articles_that_mention_all(store: ChunkStore) -> None:
    both = [d for d in documents() if {"уиткофф", "париж"} <= d.words]
    timeline = count_timeline(store, "Уиткофф Париж")
    assert timeline.words == ("Уиткофф", "Париж")
    assert timeline.total == len(both) > 0


def test_filters_and_undated_articles(store: ChunkStore) -> None:
    since, until = date(2025, 10, 1), date(2025, 11, 30)
    in_range = count_timeline(store, "witkoff", SearchFilters(since=since, until=until))
    assert in_range.total == len(expected("witkoff", lambda d: d.day and since <= d.day <= until))
    assert in_range.undated == 0  # a date filter leaves undated articles out
    assert in_range.periods[0].start <= since and in_range.periods[-1].start <= until

    outlet = count_timeline(store, "witkoff", SearchFilters(sources=("Газета",)))
    assert outlet.total == len(expected("witkoff", lambda d: d.source == "Газета"))
    assert outlet.outlets == ("Газета",)

    everything = count_timeline(store, "witkoff")
    assert everything.undated == len(expected("witkoff", lambda d: d.day is None)) > 0


def test_periods_outlets_busiest_and_earliest(store: ChunkStore) -> None:
    timeline = count_timeline(store, "witkoff")
    dated = sorted((d for d in expected("witkoff") if d.day), key=lambda d: (d.day, f"Новость {d.id}"))
    assert timeline.granularity == "week"  # five months: by week
    starts = [p.start for p in timeline.periods]
    assert all(s.weekday() == 0 for s in starts)
    assert all(b - a == timedelta(days=7) for a, b in itertools.pairwise(starts))  # empty too
    assert len(timeline.outlets) == 6 and timeline.outlets[-1] == OTHER  # top five, then the rest
    assert [m.article_id for m in timeline.earliest] == [d.id for d in dated[:3]]
    busiest = timeline.busiest
    assert busiest is not None and busiest.total == max(p.total for p in timeline.periods)

    long = count_timeline(store, "мир", SearchFilters(since=date(2025, 1, 1), until=date(2026, 3, 31)))
    assert long.granularity == "month" and [p.start.day for p in long.periods] == [1] * 15


def test_a_changed_article_is_counted_as_it_reads_now(tmp_path: Path) -> None:
    docs = documents()
    changed = next(d for d in docs if "париж" in d.words)
    edited = Doc(changed.id, "Делегации встретились в Берлине.", changed.day, changed.source, frozenset())
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    (tmp_path / "archive").mkdir()
    counts = []
    for version in (changed, edited, changed):
        write_jsonl(tmp_path / "archive" / "news.jsonl", [version if d.id == changed.id else d for d in docs])
        Ingestion(store, HashingEmbeddings(), lock_dir=tmp_path / "locks").run([tmp_path / "archive"])
        counts.append(count_timeline(store, "Париж").total)
    assert counts == [len(expected("париж")), len(expected("париж")) - 1, len(expected("париж"))]


def test_words_and_their_forms() -> None:
    [term] = mention_terms("Witkoff")
    assert text_mentions([term], "Встреча с Уиткоффом.") == {0}
    assert text_mentions([term], "встреча с уиткоффом.") == set()  # a name in Cyrillic is capitalised
    [trump] = mention_terms("trump")
    assert text_mentions([trump], "Трамп и Трампа") == {0}
    assert text_mentions([trump], "Трамповская эпоха") == set()
    [rate] = mention_terms("rate")
    assert rate.name_keys == ()  # two consonants: never matched across scripts
    with pytest.raises(NoWords):
        mention_terms("и в на the of")


def test_periods_reach_the_calendars_last_day_and_long_spans_go_by_year() -> None:
    assert period_starts(date(9999, 12, 20), date.max, "week") == [date(9999, 12, 20), date(9999, 12, 27)]
    assert period_starts(date(9999, 11, 5), date.max, "month") == [date(9999, 11, 1), date(9999, 12, 1)]
    assert period_starts(date(9998, 6, 1), date.max, "year") == [date(9998, 1, 1), date(9999, 1, 1)]
    terms = mention_terms("Уиткофф")
    edges = [Mention(str(d), "", d, None, None) for d in (date.min, date(2026, 1, 6), date.max)]
    timeline = build_timeline(terms, edges)
    assert (timeline.total, timeline.undated, timeline.granularity) == (3, 2, "week")  # the edges: no date
    whole = build_timeline(terms, edges, SearchFilters(since=date(1800, 1, 1), until=date(2999, 12, 31)))
    assert whole.granularity == "year" and len(whole.periods) == 1200


def test_a_store_filter_reaches_the_calendars_last_day() -> None:
    assert where(SearchFilters(since=date(9999, 12, 1)), date(2026, 1, 1), date.max) == {"month": 999912}
    assert where(SearchFilters(since=date(9998, 1, 1)), None, date.max) == {"year": {"$in": [9998, 9999]}}
    assert where(SearchFilters(since=date(9999, 12, 30)), None, date.max) == {
        "day": {"$in": [99991230, 99991231]}
    }


def test_an_english_name_with_a_silent_h_counts_its_russian_spelling() -> None:
    [johnson] = mention_terms("Johnson")
    assert text_mentions([johnson], "Борис Джонсон заявил") == {0}
    assert text_mentions([johnson], "Правительство Джонсона ушло.") == {0}
    assert text_mentions([johnson], "Генерал Джонс ушёл.") == set()  # another name
    [john] = mention_terms("John")
    assert text_mentions([john], "Джон Смит") == {0}


def test_compared_timelines_share_their_periods_and_count_each_query(store: ChunkStore) -> None:
    witkoff, peace, nobody = count_timelines(store, ["witkoff", "мир", "Шойгу"])
    assert (witkoff.query, peace.query, nobody.query) == ("witkoff", "мир", "Шойгу")
    assert witkoff.total == len(expected("witkoff")) and peace.total == len(expected("мир"))
    assert nobody.total == 0 and nobody.busiest is None
    starts = [p.start for p in witkoff.periods]
    assert starts == [p.start for p in peace.periods] == [p.start for p in nobody.periods]
    days = [d.day for d in documents() if d.day and d.words & {"witkoff", "мир"}]
    assert starts[0] <= min(days) and max(days) < starts[-1] + timedelta(days=7)
    with pytest.raises(TooManyQueries):
        count_timelines(store, ["Путин", "Трамп", "мир", "Париж", "Уиткофф", "Шойгу"])


def test_articles_without_an_outlet_are_apart_from_the_other_outlets() -> None:
    terms = mention_terms("Уиткофф")
    day = date(2026, 1, 6)
    sources = ["A", "B", "C", "D", "E", "F", "G", None, None, "A"]
    mentions = [Mention(f"m{i}", "", day, s, None) for i, s in enumerate(sources)]
    timeline = build_timeline(terms, mentions)
    assert timeline.outlets == ("A", "B", "C", "D", "E", OTHER, UNKNOWN)
    [period] = timeline.periods
    assert period.by_outlet == {"A": 2, "B": 1, "C": 1, "D": 1, "E": 1, OTHER: 2, UNKNOWN: 2}


def test_the_archive_counts_dated_articles_per_outlet_and_day_through_edits_and_removals(
    tmp_path: Path,
) -> None:
    """What --share divides by: kept by ingestion as articles come, change and go."""
    docs = documents()
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    (tmp_path / "archive").mkdir()

    def ingest(version: list[Doc]) -> dict[str, dict[int, int]] | None:
        write_jsonl(tmp_path / "archive" / "news.jsonl", version)
        Ingestion(store, HashingEmbeddings(), lock_dir=tmp_path / "locks").run(
            [tmp_path / "archive"], prune=True
        )
        return store.archive_stats().article_days

    def per_outlet_day(version: list[Doc]) -> dict[str, dict[int, int]]:
        counts: dict[str, dict[int, int]] = {}
        for d in version:
            if d.day is not None:
                days = counts.setdefault(d.source, {})
                days[day_number(d.day)] = days.get(day_number(d.day), 0) + 1
        return counts

    assert ingest(docs) == per_outlet_day(docs)
    moved = Doc(docs[0].id, docs[0].text, date(2026, 1, 6), "Новое", docs[0].words)
    edited = [moved, *docs[1:]]
    assert ingest(edited) == per_outlet_day(edited)
    assert ingest(edited[:40]) == per_outlet_day(edited[:40])  # the rest pruned
