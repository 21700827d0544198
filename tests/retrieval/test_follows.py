"""Follows in the store: switch times of new articles, follows that persist, and which new articles match."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from ingest.loaders.article import DEFAULT_LIMITS, RawArticle, add_article
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.follows.matching import FollowMatcher, match_follows
from retrieval.follows.store import FollowStore, Refused
from retrieval.records import Article, LoadResult, SearchFilters
from retrieval.store.chunks import ChunkStore

BASE = [
    RawArticle(
        "Банк России сохранил ключевую ставку на уровне 16,5% годовых. Регулятор допустил её снижение в "
        "начале следующего года, если инфляция продолжит замедляться.",
        id="rate",
        title="Ставка ЦБ сохранена",
        date="2025-12-19",
        source="Экономика-Пример",
    ),
    RawArticle(
        "В Москве ударили морозы до минус двадцати пяти градусов. Синоптики ждут потепления к выходным, а "
        "коммунальные службы перешли на усиленный режим работы.",
        id="frost",
        title="Морозы в Москве",
        date="2026-01-08",
        source="Лента-Пример",
    ),
]
SEALS = RawArticle(
    "Учёные Лимнологического института пересчитали байкальских нерп с помощью беспилотников: популяция "
    "выросла до ста тридцати тысяч животных. Это максимум за двадцать лет наблюдений.",
    id="seals",
    title="На Байкале пересчитали нерп",
    date="2026-01-12",
    source="Лента-Пример",
    url="https://example.org/seals",
)
YARDS = RawArticle(
    "В районе номер семь отремонтировали дворы, высадили деревья и обновили освещение улиц, сообщили в "
    "управе. Жители просили об этом несколько лет.",
    id="yards",
    title="Городские новости",
    date="2026-01-12",
    source="Город-Пример",
)


def articles(*raws: RawArticle) -> list[Article]:
    result = LoadResult()
    for raw in raws:
        add_article(result, raw, DEFAULT_LIMITS, origin=f"test:{raw.id}", fallback_id=str(raw.id))
    assert not result.skipped
    return result.articles


@pytest.fixture
def store(tmp_path: Path, e5: E5Embeddings) -> ChunkStore:
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    Ingestion(store, e5, lock_dir=tmp_path / "locks").run_articles(articles(*BASE), "test:base")
    return store


def ingest(store: ChunkStore, e5: E5Embeddings, tmp_path: Path, *raws: RawArticle) -> None:
    Ingestion(store, e5, lock_dir=tmp_path / "locks").run_articles(articles(*raws), "test:new")


def test_the_store_says_which_articles_were_switched_in_after_a_time(
    store: ChunkStore, e5: E5Embeddings, tmp_path: Path
) -> None:
    before = time.time()
    assert store.ingested_after(before) == []
    ingest(store, e5, tmp_path, SEALS, YARDS)
    new = store.ingested_after(before)
    assert sorted(a.id for a in new) == ["seals", "yards"]
    assert all(a.ingested is not None and a.ingested > before for a in new)
    assert {a.id: a.url for a in new}["seals"] == "https://example.org/seals"
    # an unchanged article is skipped, not switched in again
    after = max(a.ingested or 0.0 for a in new)
    ingest(store, e5, tmp_path, SEALS)
    assert store.ingested_after(after) == []
    # another process on the same store sees the same
    other = ChunkStore.open(None, tmp_path / "chroma", "news")
    assert sorted(a.id for a in other.ingested_after(before)) == ["seals", "yards"]


CAPS = {"per_chat": 2, "per_user": 10}


def test_follows_persist_are_capped_per_chat_and_removed_only_by_their_chat(store: ChunkStore) -> None:
    follows = FollowStore(store)
    filters = SearchFilters(sources=("Лента-Пример",))
    added = follows.add(1, "нерпы Байкал", filters, "ru", time.time(), user_id=11, **CAPS)
    assert isinstance(added, tuple) and added[1]
    again = follows.add(1, "Нерпы байкал", filters, "ru", time.time(), user_id=12, **CAPS)
    assert isinstance(again, tuple) and again[0].id == added[0].id and not again[1]  # not doubled
    assert isinstance(
        follows.add(1, "ключевая ставка", SearchFilters(), "ru", time.time(), user_id=11, **CAPS), tuple
    )
    full = follows.add(1, "морозы", SearchFilters(), "ru", time.time(), user_id=13, **CAPS)
    assert full == Refused("chat", 2)  # the cap
    assert isinstance(follows.add(2, "морозы", SearchFilters(), "en", time.time(), user_id=13, **CAPS), tuple)

    reopened = FollowStore(ChunkStore(store.client, store.name))  # another process, the same store
    mine = reopened.of_chat(1)
    assert [f.words for f in mine] == ["нерпы Байкал", "ключевая ставка"]
    assert mine[0].filters == filters and mine[0].language == "ru"
    assert len(reopened.all()) == 3

    assert reopened.remove(2, mine[0].id) is None  # another chat's follow
    # of two processes claiming the same (follow, article), the first one sends it; the second does
    # not, not even after the first one's claim of another article
    first = reopened.claim([(mine[0].id, "seals")], "one", time.time())
    second = follows.claim([(mine[0].id, "seals"), (mine[0].id, "yards")], "two", time.time())
    assert first == {(mine[0].id, "seals")} and second == {(mine[0].id, "yards")}
    # the same process claiming again (a round run again after it sent): nothing is its to send
    assert reopened.claim([(mine[0].id, "seals")], "three", time.time()) == set()
    # a claim repeated with its own token (it raised: did it land?) answers as it did
    assert follows.claim([(mine[0].id, "seals"), (mine[0].id, "yards")], "two", time.time()) == second
    removed = reopened.remove(1, mine[0].id)
    assert removed is not None and removed.words == "нерпы Байкал" and removed.user_id == 11
    assert [f.words for f in follows.of_chat(1)] == ["ключевая ставка"]
    # its place is free again
    assert isinstance(follows.add(1, "морозы", SearchFilters(), "ru", time.time(), user_id=13, **CAPS), tuple)
    # what it was sent went with it
    assert follows.claim([(mine[0].id, "seals")], "two", time.time()) == {(mine[0].id, "seals")}

    assert follows.cursor() is None and follows.cursor(bot_id=7) is None
    follows.set_cursor(123.5)  # as kept before each bot kept its own
    assert FollowStore(store).cursor() == 123.5 and follows.cursor(bot_id=7) == 123.5
    follows.set_cursor(200.0, bot_id=7)
    assert follows.cursor(bot_id=7) == 200.0 and follows.cursor(bot_id=8) == 123.5
    assert follows.cursor() == 123.5


def test_a_follow_matches_the_new_article_about_it_and_not_the_others(
    store: ChunkStore, e5: E5Embeddings, tmp_path: Path
) -> None:
    follows = FollowStore(store)
    started = time.time()
    caps = {"user_id": 1, "per_chat": 5, "per_user": 10}
    seals = follows.add(7, "нерпы на Байкале", SearchFilters(), "ru", started, **caps)
    rate = follows.add(7, "ключевая ставка", SearchFilters(), "ru", started, **caps)
    assert isinstance(seals, tuple) and isinstance(rate, tuple)
    ingest(store, e5, tmp_path, SEALS, YARDS)
    matcher = FollowMatcher(store, e5, max_chars=500)
    new = store.ingested_after(started)
    assert len(new) == 2

    alerts = match_follows(matcher, [seals[0]], new)
    assert [a.article.id for a in alerts] == ["seals"]
    assert "нерп" in alerts[0].passage.chunk.text
    # the rate article is old news (ingested before the follow began) and nothing new is about rates
    assert match_follows(matcher, [rate[0]], store.ingested_after(0.0)) == []
    assert [(a.follow.id, a.article.id) for a in match_follows(matcher, follows.all(), new)] == [
        (seals[0].id, "seals")
    ]
    # a follow's filters hold: the seals article is not from this outlet
    outlet = SearchFilters(sources=("Город-Пример",))
    elsewhere = follows.add(8, "нерпы на Байкале", outlet, "ru", started, **caps)
    assert isinstance(elsewhere, tuple) and match_follows(matcher, [elsewhere[0]], new) == []


def test_a_follow_made_of_a_very_long_text_is_matched_by_its_beginning(
    store: ChunkStore, e5: E5Embeddings, tmp_path: Path
) -> None:
    started = time.time()
    long = FollowStore(store).add(
        9,
        "нерпы на Байкале " + "и многое другое " * 250,
        SearchFilters(),
        "ru",
        started,
        user_id=1,
        per_chat=5,
        per_user=5,
    )
    assert isinstance(long, tuple) and len(long[0].words) > 3900  # stored before follows were cut
    ingest(store, e5, tmp_path, SEALS, YARDS)
    matcher = FollowMatcher(store, e5, max_chars=40)
    assert matcher.words(long[0]) == "нерпы на Байкале и многое другое и"
    alerts = match_follows(matcher, [long[0]], store.ingested_after(started))
    assert [a.article.id for a in alerts] == ["seals"]


@pytest.mark.server
def test_the_caps_hold_for_follows_made_at_once_through_two_replicas(
    chroma_server: str, tmp_path: Path
) -> None:
    """Two processes' stores on one Chroma server, 16 requests at a time: a chat keeps exactly its cap,
    and a person exactly theirs across chats."""
    name = f"caps-{tmp_path.name[-20:]}".replace("_", "-")
    replicas = [FollowStore(ChunkStore.open(chroma_server, tmp_path, name)) for _ in range(2)]

    def follow(n: int, chat: int, user: int) -> object:
        words = f"тема номер {n}"
        return replicas[n % 2].add(
            chat, words, SearchFilters(), "ru", time.time(), user_id=user, per_chat=20, per_user=12
        )

    with ThreadPoolExecutor(16) as pool:
        in_one_chat = list(pool.map(lambda n: follow(n, 1, 100 + n % 4), range(40)))
        by_one_person = list(pool.map(lambda n: follow(n, 10 + n % 8, 7), range(40)))
    assert sum(isinstance(r, tuple) for r in in_one_chat) == 20
    assert sum(r == Refused("chat", 20) for r in in_one_chat) == 20
    assert len(replicas[1].of_chat(1)) == 20
    assert sum(isinstance(r, tuple) for r in by_one_person) == 12
    assert sum(r == Refused("user", 12) for r in by_one_person) == 28
    assert sum(f.user_id == 7 for f in replicas[0].all()) == 12


def test_a_follow_keeps_the_query_vector_made_when_it_began_and_rounds_use_it(
    store: ChunkStore, e5: E5Embeddings
) -> None:
    matcher = FollowMatcher(store, e5, max_chars=500)
    vector = matcher.vector("нерпы на Байкале")
    made = FollowStore(store).add(
        3,
        "нерпы на Байкале",
        SearchFilters(),
        "ru",
        time.time(),
        user_id=1,
        per_chat=5,
        per_user=5,
        vector=vector,
        vector_model=matcher.model_id,
    )
    old = FollowStore(store).add(
        3, "морозы", SearchFilters(), "ru", time.time(), user_id=1, per_chat=5, per_user=5
    )
    assert isinstance(made, tuple) and isinstance(old, tuple)
    [kept, without] = FollowStore(store).of_chat(3)
    assert kept.vector is not None and kept.vector_model == e5.model_id
    assert kept.vector.tolist() == vector.tolist() and without.vector is None
    # a round embeds only the follow stored without a vector: one step, then nothing new to match
    assert list(FollowMatcher(store, e5, max_chars=500).steps([kept, without], [])) == [[]]
    assert list(FollowMatcher(store, e5, max_chars=500).steps([kept], [])) == []


def test_a_follow_keeps_the_bot_it_was_made_through_and_each_bot_sends_its_own(store: ChunkStore) -> None:
    follows = FollowStore(store)
    caps: dict[str, Any] = {"per_chat": 5, "per_user": 5}
    one = follows.add(1, "нерпы", SearchFilters(), "ru", time.time(), user_id=1, bot_id=7001, **caps)
    two = follows.add(2, "морозы", SearchFilters(), "ru", time.time(), user_id=2, bot_id=7002, **caps)
    old = follows.add(3, "ставка", SearchFilters(), "ru", time.time(), user_id=3, **caps)  # before bots
    # the same follow asked for through the other bot is the one made first: a chat is alerted once
    again = follows.add(1, "Нерпы", SearchFilters(), "ru", time.time(), user_id=1, bot_id=7002, **caps)
    assert isinstance(one, tuple) and isinstance(two, tuple) and isinstance(old, tuple)
    assert again == (one[0], False)
    reopened = FollowStore(ChunkStore(store.client, store.name))
    assert [f.bot_id for f in reopened.of_chat(1)] == [7001]
    assert [f.words for f in reopened.sent_by(7001)] == ["нерпы", "ставка"]
    assert [f.words for f in reopened.sent_by(7002)] == ["морозы", "ставка"]
    assert [f.words for f in reopened.sent_by(7003)] == ["ставка"]
