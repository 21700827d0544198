"""Follows end to end: ``/follow``, articles ingested by another path, the alert job of the real bot.

The bot runs as ``newsbot serve`` runs it, against the Bot API emulator; new articles arrive through
``Ingestion.run_articles`` (as a feed or a channel brings them) from outside the bot. The alert job is
the one the bot schedules, run by the test when it wants a round (its own interval is an hour here), so
that "no alert" is what a finished round sent, not what a wait happened not to see.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.telegram.app import NewsbotApp
from bot.telegram.services import services_of
from bot.wiring import open_store
from ingest.feeds.poll import FeedPoller
from ingest.feeds.registry import FeedRegistry
from ingest.loaders.article import DEFAULT_LIMITS, RawArticle, add_article
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.follows.store import FollowStore
from retrieval.records import LoadResult
from retrieval.settings import Settings
from tests.bot.conftest import bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator, Chat, SentMessage, User
from tests.emulators.feed_server import FeedItem, FeedServer, article_html, rss_feed

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
PUPS = RawArticle(
    "На Байкале начался сезон рождения нерпят. Белых детёнышей нерпы заметили на льду у Ушканьих "
    "островов, сообщили в заповеднике.",
    id="pups",
    title="У байкальских нерп появились детёныши",
    date="2026-03-02",
    source="Лента-Пример",
    url="https://example.org/pups",
)
ICE = RawArticle(
    "Байкальская нерпа выходит на лёд в марте: в этом году лёд на Байкале встал поздно, и учёные "
    "опасаются за потомство нерп, сообщил Лимнологический институт.",
    id="ice",
    title="Поздний лёд тревожит учёных",
    date="2026-03-03",
    source="Наука-Пример",
)
YARDS = RawArticle(
    "В районе номер семь отремонтировали дворы, высадили деревья и обновили освещение улиц, сообщили в "
    "управе. Жители просили об этом несколько лет.",
    id="yards",
    title="Городские новости",
    date="2026-01-12",
    source="Город-Пример",
)
FOLLOW = "/follow нерпы на Байкале"
HOUR = 3600.0


def ingest(settings: Settings, e5: E5Embeddings, *raws: RawArticle) -> None:
    """Articles ingested as a feed or a channel brings them, by another path than the bot."""
    result = LoadResult()
    for raw in raws:
        add_article(result, raw, DEFAULT_LIMITS, origin=f"test:{raw.id}", fallback_id=str(raw.id))
    store = open_store(settings)
    report = Ingestion(store, e5, lock_dir=settings.data_dir / "locks").run_articles(result.articles, "test:")
    assert report.added + report.updated == len(raws)


async def ingest_elsewhere(settings: Settings, e5: E5Embeddings, *raws: RawArticle) -> None:
    await asyncio.to_thread(ingest, settings, e5, *raws)


async def alert_round(app: NewsbotApp) -> None:
    """One run of the bot's own alert job, and the round it started, awaited to its end."""
    [job] = app.job_queue.get_jobs_by_name("alerts") if app.job_queue else ()
    await job.run(app)
    task = getattr(services_of(app.bot_data).follows, "task", None)
    if task is not None:
        await task


async def say(emu: BotApiEmulator, chat: Chat, user: User, text: str) -> SentMessage:
    seen = len(emu.messages(chat))
    emu.send_text(chat, user, text)
    return (await emu.wait_for_messages_async(chat, seen + 1, timeout=60))[seen]


def settings_for(emu: BotApiEmulator, data_dir: Path, **overrides: Any) -> Settings:
    return bot_settings(emu, data_dir, alert_interval=HOUR, **overrides)


async def test_a_follow_is_told_once_of_a_matching_new_article_and_never_of_others(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    settings = settings_for(emu, tmp_path / "data")
    ingest(settings, e5, *BASE)
    async with running_bot(settings, e5) as app:
        followed = await say(emu, chat, alice, FOLLOW)
        assert followed.text.startswith("🔔 Following «нерпы на Байкале»")
        again = await say(emu, chat, alice, "/follow Нерпы на байкале")
        assert again.text.startswith("You follow «нерпы на Байкале» already")

        await ingest_elsewhere(settings, e5, YARDS)
        await alert_round(app)
        assert len(emu.messages(chat)) == 2  # nothing about seals came in: no alert

        await ingest_elsewhere(settings, e5, SEALS)
        await alert_round(app)
        await alert_round(app)  # a second round finds nothing new to send
        messages = emu.messages(chat)
        assert len(messages) == 3
        alert = messages[2]
        assert alert.text.startswith("🔔 New on «нерпы на Байкале»:")
        assert "На Байкале пересчитали нерп" in alert.text and "2026-01-12" in alert.text
        assert "Лента-Пример" in alert.text and "байкальских нерп" in alert.text
        assert '<a href="https://example.org/seals">' in alert.html
        assert "Городские новости" not in alert.text

        # a burst: two matching articles in one round are one message
        await ingest_elsewhere(settings, e5, PUPS, replace(YARDS, id="yards-2"), ICE)
        await alert_round(app)
        [burst] = emu.messages(chat)[3:]
        assert burst.text.count("🔔") == 1
        assert "У байкальских нерп появились детёныши" in burst.text and "Поздний лёд" in burst.text
        assert "На Байкале пересчитали нерп" not in burst.text and "Городские новости" not in burst.text


async def test_follows_survive_a_restart_and_the_button_stops_one(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    bob = emu.user(202, "Bob", "bob")
    chat = emu.private_chat(bob)
    settings = settings_for(emu, tmp_path / "data")
    ingest(settings, e5, *BASE)
    async with running_bot(settings, e5):
        await say(emu, chat, bob, FOLLOW)
        await say(emu, chat, bob, "/follow ключевая ставка")
    # a new Application on the same store, with none of the first one's saved state
    restarted = settings_for(emu, tmp_path / "data")
    assert restarted.bot_state_path != settings.bot_state_path
    async with running_bot(restarted, e5) as app:
        listing = await say(emu, chat, bob, "/following")
        assert listing.text.startswith("🔔 This chat follows")
        labels = [b["text"] for b in listing.buttons]
        assert labels == ["✖ нерпы на Байкале", "✖ ключевая ставка"]

        await ingest_elsewhere(settings, e5, SEALS)
        await alert_round(app)
        assert "На Байкале пересчитали нерп" in emu.messages(chat)[-1].text

        [stop] = [b["callback_data"] for b in listing.buttons if "нерпы" in b["text"]]
        emu.press_button(chat, bob, listing.message_id, stop)
        edited = await emu.wait_for_async(
            lambda: m if (m := emu.message(chat, listing.message_id)).edits else None, timeout=30
        )
        assert [b["text"] for b in edited.buttons] == ["✖ ключевая ставка"]
        seen = len(emu.messages(chat))
        await ingest_elsewhere(settings, e5, PUPS)
        await alert_round(app)
        assert len(emu.messages(chat)) == seen  # that follow is gone

        gone = await say(emu, chat, bob, "/unfollow ключевая ставка")
        assert gone.text == "Stopped following «ключевая ставка»."
        empty = await say(emu, chat, bob, "/following")
        assert empty.text.startswith("This chat follows nothing yet") and not empty.buttons


async def test_a_chat_has_at_most_its_cap_of_follows(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    carol = emu.user(303, "Carol", "carol")
    chat = emu.private_chat(carol)
    settings = settings_for(emu, tmp_path / "data", follows_per_chat=2)
    ingest(settings, e5, *BASE)
    async with running_bot(settings, e5):
        await say(emu, chat, carol, FOLLOW)
        await say(emu, chat, carol, "/follow морозы")
        full = await say(emu, chat, carol, "/follow ключевая ставка")
        usage = await say(emu, chat, carol, "/follow")
        bad = await say(emu, chat, carol, "/follow ставка since:когда-нибудь")
    assert full.text.startswith("This chat has 2 follows, the most it may have")
    assert usage.text.startswith("Give me words to follow")
    assert bad.text.startswith("⚠️")


@pytest.mark.server
async def test_two_replicas_on_one_server_send_one_alert(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, chroma_server: str
) -> None:
    dave = emu.user(404, "Dave", "dave")
    chat = emu.private_chat(dave)
    collection = f"follows-{tmp_path.name[-20:]}".replace("_", "-")
    one = settings_for(emu, tmp_path / "one", chroma_url=chroma_server, collection=collection)
    two = settings_for(emu, tmp_path / "two", chroma_url=chroma_server, collection=collection)
    ingest(one, e5, *BASE)
    # replica one polls Telegram; replica two serves beside it (as behind a webhook) and runs its job too
    async with running_bot(one, e5) as first, running_bot(two, e5, polling=False) as second:
        await say(emu, chat, dave, FOLLOW)
        await ingest_elsewhere(one, e5, SEALS)
        await asyncio.gather(alert_round(first), alert_round(second))
        await asyncio.gather(alert_round(second), alert_round(first))
    alerts = [m for m in emu.messages(chat) if m.text.startswith("🔔 New on")]
    assert len(alerts) == 1 and "На Байкале пересчитали нерп" in alerts[0].text


async def test_a_feed_poll_that_brings_a_matching_article_alerts_once(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    """The live path end to end: a feed's new entries, polled as ``newsbot watch`` polls them, then the
    bot's alert round: one alert for the entry that matches, none for the other, none again later."""
    carol = emu.user(303, "Carol", "carol")
    chat = emu.private_chat(carol)
    settings = settings_for(emu, tmp_path / "data", feeds_allow_private=True, feed_host_delay=0)
    ingest(settings, e5, *BASE)
    with FeedServer() as web:
        web.page("/seals.html", article_html(str(SEALS.title), str(SEALS.text)))
        web.page("/yards.html", article_html(str(YARDS.title), str(YARDS.text)))
        items = [
            FeedItem(str(SEALS.title), web.url("/seals.html"), "Нерп стало больше.", "seals-1"),
            FeedItem(str(YARDS.title), web.url("/yards.html"), "Дворы отремонтированы.", "yards-1"),
        ]
        web.feed("/rss.xml", rss_feed("Байкальские новости", items))
        store = open_store(settings)
        FeedRegistry(store).add(web.url("/rss.xml"))
        seals_url = web.url("/seals.html")
        async with running_bot(settings, e5) as app:
            await say(emu, chat, carol, FOLLOW)
            report = await asyncio.to_thread(FeedPoller(store, e5, settings).poll)
            assert [(o.added, o.error) for o in report.outcomes] == [(2, None)]
            await alert_round(app)
            await asyncio.to_thread(FeedPoller(store, e5, settings).poll)  # not modified: nothing new
            await alert_round(app)
    alerts = emu.messages(chat)[1:]
    assert len(alerts) == 1
    assert "На Байкале пересчитали нерп" in alerts[0].text and "Байкальские новости" in alerts[0].text
    assert seals_url in alerts[0].html
    assert str(YARDS.title) not in alerts[0].text


async def test_a_follow_of_a_whole_message_is_cut_like_a_question_and_says_so(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    erin = emu.user(505, "Erin", "erin")
    chat = emu.private_chat(erin)
    settings = settings_for(emu, tmp_path / "data")
    ingest(settings, e5, *BASE)
    words = "нерпы на Байкале " + "и ещё очень длинный текст подписки " * 120
    words = words[:3990]
    async with running_bot(settings, e5) as app:
        followed = await say(emu, chat, erin, f"/follow {words}")
        [kept] = await asyncio.to_thread(lambda: FollowStore(open_store(settings)).of_chat(chat.id))
        await ingest_elsewhere(settings, e5, SEALS)
        await alert_round(app)
    assert len(words) == 3990
    limit = settings.max_question_chars
    assert (
        len(kept.words) <= limit
        and words.startswith(kept.words)
        and kept.words.startswith("нерпы на Байкале")
    )
    assert followed.text.startswith("🔔 Following «нерпы на Байкале")
    assert f"(Its words were cut to their first {len(kept.words)} characters, as a question's are.)" in (
        followed.text
    )
    [alert] = emu.messages(chat)[1:]
    assert "На Байкале пересчитали нерп" in alert.text


async def test_a_person_has_at_most_their_cap_of_follows_across_chats(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    frank, gina = emu.user(606, "Frank", "frank"), emu.user(607, "Gina", "gina")
    groups = [emu.group_chat(-600 - n, f"Group {n}") for n in range(3)]
    settings = settings_for(emu, tmp_path / "data", follows_per_chat=5, follows_per_user=3)
    ingest(settings, e5, *BASE)
    async with running_bot(settings, e5):
        replies = [
            await say(emu, groups[0], frank, "/follow нерпы"),
            await say(emu, groups[0], frank, "/follow морозы"),
            await say(emu, groups[1], frank, "/follow ключевая ставка"),
            await say(emu, groups[2], frank, "/follow Байкал"),  # a fourth: over Frank's cap
        ]
        others = await say(emu, groups[2], gina, "/follow Байкал")  # Gina's cap is her own
        gone = await say(emu, groups[0], frank, "/unfollow морозы")
        again = await say(emu, groups[2], frank, "/follow инфляция")  # a place is free again
    assert [r.text.startswith("🔔 Following") for r in replies] == [True, True, True, False]
    assert replies[3].text == (
        "You have started 3 follows across your chats, the most one person may have; remove one with "
        "/following in its chat."
    )
    assert others.text.startswith("🔔 Following «Байкал»")
    assert gone.text.startswith("Stopped following")
    assert again.text.startswith("🔔 Following «инфляция»")


async def test_follows_sent_at_once_to_a_group_stop_exactly_at_its_cap(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    """40 ``/follow`` at the same moment in one group (a script, or many members): the check of the
    chat's count and the write are one step, so exactly the cap is kept and every other is refused."""
    hank = emu.user(707, "Hank", "hank")
    group = emu.group_chat(-700, "Busy group")
    settings = settings_for(emu, tmp_path / "data", follows_per_chat=20, rate_limit_per_minute=0)
    ingest(settings, e5, *BASE)
    async with running_bot(settings, e5):
        for n in range(40):
            emu.send_text(group, hank, f"/follow тема номер {n}")
        replies = await emu.wait_for_messages_async(group, 40, timeout=120)
        kept = await asyncio.to_thread(lambda: FollowStore(open_store(settings)).of_chat(group.id))
        listing = await say(emu, group, hank, "/following")
    assert len(kept) == 20
    assert sum(r.text.startswith("🔔 Following «тема номер") for r in replies) == 20
    assert sum(r.text.startswith("This chat has 20 follows, the most it may have") for r in replies) == 20
    assert len(listing.buttons) == 20


async def test_an_article_that_matches_several_follows_of_a_group_is_one_alert_naming_them(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    ivan = emu.user(808, "Ivan", "ivan")
    group = emu.group_chat(-800, "Байкальский клуб")
    settings = settings_for(emu, tmp_path / "data")
    ingest(settings, e5, *BASE)
    async with running_bot(settings, e5) as app:
        for words in ("нерпы на Байкале", "нерпа", "Байкал", "ключевая ставка"):
            await say(emu, group, ivan, f"/follow {words}")
        await ingest_elsewhere(settings, e5, SEALS, YARDS)
        await alert_round(app)
        await alert_round(app)
    alerts = emu.messages(group)[4:]
    assert len(alerts) == 1
    [alert] = alerts
    assert alert.html.count('<a href="https://example.org/seals">') == 1  # the article once
    assert alert.text.count("🔔") == 1 and "\n1. На Байкале пересчитали нерп" in alert.text
    assert alert.text.startswith("🔔 New on «нерпы на Байкале», «нерпа», «Байкал»:")
    assert "ключевая ставка" not in alert.text and "Городские новости" not in alert.text
