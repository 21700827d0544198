"""Candidates come from Chroma: date and outlet filters applied by the store, and exact names found by the
name index across scripts ("Witkoff" finds "Уиткофф") even where dense search alone would miss them.

The real bundled model over a small archive written here: a dozen Russian articles over two months from
three outlets. One long article about the harvest names Стив Уиткофф in a single paragraph deep inside;
several short ones are about American envoys and their statements, close to the question in meaning,
but never name him.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.records import SearchFilters
from retrieval.search.searcher import SearchConfig, Searcher
from retrieval.store.chunks import ChunkStore

FARM, WIRE, WORLD = "Агро-Пример", "Лента-Пример", "Мир-Пример"
NAME = "Уиткофф"

HARVEST = "\n\n".join(
    [
        "Аграрии Ставрополья завершили уборку озимой пшеницы: средняя урожайность составила сорок два "
        "центнера с гектара, на пять больше, чем годом ранее. Элеваторы края заполнены почти полностью.",
        "Главную прибавку дали хозяйства восточных районов, где весной прошли обильные дожди. Там "
        "отдельные поля принесли больше шестидесяти центнеров, рассказали в краевом минсельхозе.",
        "Закупочные цены на зерно при этом снизились: за тонну пшеницы третьего класса дают около "
        "тринадцати тысяч рублей. Фермеры жалуются, что не окупают подорожавшие удобрения и топливо.",
        "Часть урожая хозяйства оставляют на хранение в надежде на осенний рост цен. Небольшие "
        "предприятия, у которых нет своих складов, вынуждены продавать зерно сразу после обмолота.",
        "Среди гостей сельскохозяйственной выставки в Ставрополе были фермеры из Канады, агрономы из "
        f"Казахстана и американский бизнесмен Стив {NAME}, осмотревший стенды с сеялками, элеваторным "
        "оборудованием, минеральными удобрениями и новыми отечественными комбайнами.",
        "Сами аграрии больше говорили о технике. Запчасти к импортным комбайнам дорожают, а "
        "отечественные машины, по словам фермеров, пока уступают по надёжности и расходу топлива.",
        "Краевые власти обещают субсидировать покупку новых комбайнов и тракторов: на программу "
        "выделено два миллиарда рублей, заявки принимают до конца декабря.",
        "Синоптики тем временем предупреждают о сухой осени. Если дождей не будет, посевы озимых под "
        "урожай следующего года могут пострадать, и рекордный сезон не повторится.",
    ]
)

# Close to "What did Witkoff say?" in meaning (American officials' statements, names that sound alike),
# but none of them names him.
ENVOYS = [
    ("Уиткомб о переговорах", "Джон Уиткомб заявил журналистам, что переговоры идут трудно, но стороны "
     "договорились продолжить встречи в январе."),
    ("Уитфорд: сделка близка", "Бизнесмен Уитфорд сказал, что сделка близка как никогда, однако "
     "отказался назвать сроки её подписания."),
    ("Уиткин прокомментировал встречу", "Уиткин, представитель Госдепартамента, прокомментировал слова "
     "посланника и сообщил, что американская сторона ждёт ответа на свои предложения."),
    ("Уитакер призвал к сдержанности", "Сенатор Уитакер высказался о переговорах на Ближнем Востоке и "
     "призвал стороны к сдержанности."),
    ("Уитмен сделал заявление", "Посланник Уитмен сообщил, что встреча в Женеве прошла конструктивно."),
    ("Уиттон выступил в Париже", "Советник Уиттон выступил в Париже и сказал, что США рассчитывают на "
     "скорое прекращение огня."),
    ("Спецпосланник США высказался", "Специальный посланник президента США заявил, что Вашингтон готов "
     "выступить посредником."),
]  # fmt: skip

OTHERS = [
    (
        "Ставка ЦБ сохранена",
        "Банк России сохранил ключевую ставку на уровне шестнадцати с половиной процентов.",
    ),
    (
        "Морозы в Москве",
        "В Москве ударили морозы до минус двадцати пяти градусов, синоптики ждут потепления.",
    ),
    ("Хоккей", "Хоккеисты «Авангарда» обыграли «Трактор» со счётом четыре один."),
    ("Выставка кошек", "В Казани прошла выставка кошек, приз зрительских симпатий получил мейн-кун."),
]


@dataclass(frozen=True)
class Record:
    id: str
    title: str
    text: str
    day: date
    source: str


def archive_records() -> list[Record]:
    records = [Record("harvest", "Урожай на Ставрополье", HARVEST, date(2025, 11, 14), FARM)]
    envoy_days = [date(2025, 11, 3), date(2025, 11, 10), date(2025, 11, 21), date(2025, 11, 28)]
    envoy_days += [date(2025, 12, 5), date(2025, 12, 12), date(2025, 12, 19)]
    for i, (title, text) in enumerate(ENVOYS):
        records.append(Record(f"envoy-{i}", title, text, envoy_days[i], WORLD if i % 2 else WIRE))
    other_days = [date(2025, 11, 10), date(2025, 12, 1), date(2025, 12, 1), date(2025, 12, 30)]
    for i, (title, text) in enumerate(OTHERS):
        records.append(Record(f"other-{i}", title, text, other_days[i], [WIRE, WORLD, FARM][i % 3]))
    return records


RECORDS = archive_records()
BY_ID = {r.id: r for r in RECORDS}


def write_archive(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "news.jsonl"
    lines = [
        json.dumps(
            {"id": r.id, "title": r.title, "text": r.text, "date": r.day.isoformat(), "source": r.source},
            ensure_ascii=False,
        )
        for r in RECORDS
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module", params=["embedded", pytest.param("server", marks=pytest.mark.server)])
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings
) -> Iterator[ChunkStore]:
    tmp = tmp_path_factory.mktemp("candidates")
    url = request.getfixturevalue("chroma_server") if request.param == "server" else None
    store = ChunkStore.open(url, tmp / "chroma", "candidates")
    report = Ingestion(store, e5, lock_dir=tmp / "locks").run([write_archive(tmp / "archive")])
    assert report.added == len(RECORDS) and not report.skipped
    yield store
    store.drop()


@pytest.mark.parametrize(
    ("filters", "query"),
    [
        (SearchFilters(date(2025, 12, 1), date(2025, 12, 31)), f"Что заявил {NAME}?"),
        (SearchFilters(date(2025, 12, 1), date(2025, 12, 1)), "переговоры в Женеве"),
        (SearchFilters(date(2025, 11, 14), date(2025, 11, 14)), "переговоры в Женеве"),
        (SearchFilters(since=date(2025, 12, 19)), f"Что заявил {NAME}?"),
        (SearchFilters(until=date(2025, 11, 3)), "урожай пшеницы"),
        (SearchFilters(sources=(FARM,)), "переговоры в Женеве"),
        (SearchFilters(date(2025, 11, 1), date(2025, 11, 30), (WORLD,)), "урожай пшеницы"),
    ],
    ids=[
        "month",
        "one-day",
        "one-long-article-day",
        "since-only",
        "until-only",
        "outlet",
        "month-and-outlet",
    ],
)
def test_filters_keep_to_their_days_and_outlets_and_miss_nothing_inside(
    store: ChunkStore, e5: E5Embeddings, filters: SearchFilters, query: str
) -> None:
    inside = {
        r.id
        for r in RECORDS
        if (filters.since is None or r.day >= filters.since)
        and (filters.until is None or r.day <= filters.until)
        and (not filters.sources or r.source in filters.sources)
    }
    assert 0 < len(inside) < len(RECORDS)
    passages = Searcher(store, e5).search(query, 10, filters).passages
    for p in passages:
        assert filters.matches(p.chunk), (p.chunk.article_id, p.chunk.date, p.chunk.source)
    assert {p.article_id for p in passages} == inside


def test_an_empty_range_finds_nothing(store: ChunkStore, e5: E5Embeddings) -> None:
    quiet = SearchFilters(date(2025, 11, 15), date(2025, 11, 20))  # no article in these days
    assert Searcher(store, e5).search("урожай пшеницы", 10, quiet).passages == []


def name_chunk_id(store: ChunkStore) -> str:
    """The one stored chunk that names him, found by reading the long article's chunks."""
    version = store.versions(["harvest"])["harvest"]
    info = store.article_infos(["harvest"])["harvest"]
    ids = [f"harvest|{version}|{i}" for i in range(info.chunks)]
    [found] = [cid for cid, c in store.chunks(ids).items() if NAME in c.chunk.text]
    assert int(found.rsplit("|", 1)[1]) >= 3  # deep inside the article, not its headline
    return found


@pytest.mark.parametrize("question", ["What did Witkoff say?", "уиткофф"])
def test_a_name_finds_its_only_chunk_through_the_name_index(
    store: ChunkStore, e5: E5Embeddings, question: str
) -> None:
    target = name_chunk_id(store)
    config = SearchConfig(dense_pool=1)  # the dense pool holds one of the look-alikes, not him
    dense = store.nearest(e5.embed_question(question), config.dense_pool)
    assert dense and target not in {c.id for c in dense}
    assert all(NAME not in c.chunk.text for c in dense)

    top = Searcher(store, e5, config=config).search(question, 5).passages[0]
    assert top.article_id == "harvest" and NAME in top.chunk.text

    without_keys = Searcher(store, e5, config=SearchConfig(dense_pool=1, key_pool=0))
    assert all(NAME not in p.chunk.text for p in without_keys.search(question, 5).passages)

    # and with the default pool, the same passage comes first
    best = Searcher(store, e5).search(question, 5).passages[0]
    assert best.article_id == "harvest" and NAME in best.chunk.text
