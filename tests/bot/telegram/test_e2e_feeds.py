"""Admins manage the news feeds from Telegram; the bot polls them itself and answers from their articles."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.telegram.app import NewsbotApp
from bot.telegram.services import services_of
from ingest.feeds.registry import Feed
from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import ADMIN_ID, bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator
from tests.emulators.feed_server import FeedItem, FeedServer, Route, article_html, rss_feed

T = TypeVar("T")
BEAVERS = (
    "В Воронежском заповеднике насчитали рекордное число бобров.\n\n"
    "Учёные заповедника насчитали на реке Усмань четыреста двадцать бобровых семей. Это больше, чем "
    "за все годы наблюдений: зимой в заповеднике открыли новую станцию для молодых бобров."
)
DAY = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
def web() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def serve_beavers(web: FeedServer) -> str:
    """An RSS feed of one entry whose page holds the article; the feed's URL."""
    web.page("/beavers.html", article_html("Рекорд бобров", BEAVERS))
    item = FeedItem("Рекорд бобров", web.url("/beavers.html"), "Бобров стало больше.", "b-1", DAY)
    web.feed("/rss.xml", rss_feed("Воронежские новости", [item]))
    return web.url("/rss.xml")


def settings_for(emu: BotApiEmulator, tmp_path: Path, **overrides: Any) -> Any:
    values = {"feeds_allow_private": True, "feed_host_delay": 0, "feed_timeout": 2} | overrides
    return bot_settings(emu, tmp_path / "data", **values)


async def eventually(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 90) -> T:
    """``read()`` (in a worker thread) once ``done`` holds of it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await asyncio.to_thread(read)
        if done(value):
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not done after {timeout:.0f} s: {value!r}")
        await asyncio.sleep(0.2)


def feeds_of(app: NewsbotApp) -> Callable[[], dict[str, Feed]]:
    polling = services_of(app.bot_data).feeds
    return lambda: {feed.url: feed for feed in polling.registry().feeds()}


async def test_an_added_feed_is_polled_by_the_bot_and_its_article_answered(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, web: FeedServer
) -> None:
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    url, broken = serve_beavers(web), web.url("/gone.xml")
    web.status("/gone.xml", 404)
    settings = settings_for(emu, tmp_path, feed_interval=0.05)  # a round every 3 s
    async with running_bot(settings, e5) as app:
        emu.send_text(chat, admin, f"/addfeed {url} Воронеж сегодня")
        await emu.wait_for_messages_async(chat, 1, timeout=30)  # listed in the order they were added
        emu.send_text(chat, admin, f"/addfeed {broken}")
        added = await emu.wait_for_messages_async(chat, 2, timeout=30)
        feeds = await eventually(
            feeds_of(app),
            lambda f: len(f) == 2 and all(x.last_poll for x in f.values()) and f[url].articles_added > 0,
        )
        emu.send_text(chat, admin, "Сколько бобровых семей насчитали в Воронежском заповеднике?")
        [*_, answer] = await emu.wait_for_messages_async(chat, 3, timeout=30)
        emu.send_text(chat, admin, "/feeds")
        [*_, listing] = await emu.wait_for_messages_async(chat, 4, timeout=30)
    assert [m.text for m in added] == [
        f"✅ Added {url} (Воронеж сегодня): it is polled every 0.05 min; /pollfeeds polls now.",
        f"✅ Added {broken}: it is polled every 0.05 min; /pollfeeds polls now.",
    ]
    assert feeds[url].articles_added == 1 and feeds[url].last_error is None
    assert feeds[broken].last_success is None and "404" in (feeds[broken].last_error or "")
    assert "четыреста двадцать" in answer.text and f'href="{web.url("/beavers.html")}"' in answer.html
    assert "Воронеж сегодня" in answer.text  # the outlet named with /addfeed
    assert web.requests_to("/beavers.html")  # the text came from the linked page
    lines = listing.text.splitlines()
    assert lines[0] == "📰 2 feed(s), polled every 0.05 min:"
    assert f"1. Воронеж сегодня · {url}" in lines and f"2. {broken}" in lines
    first, second = lines.index(f"1. Воронеж сегодня · {url}"), lines.index(f"2. {broken}")
    assert lines[first + 1].startswith("last poll: 20") and lines[first + 1].endswith("articles added: 1")
    assert " · last success: never · articles added: 0" in lines[second + 1]
    assert lines[second + 2].startswith("⚠️ last error: ") and "404" in lines[second + 2]


async def test_poll_now_remove_and_refusals(
    emu: BotApiEmulator,
    tmp_path: Path,
    e5: E5Embeddings,
    web: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "bot.telegram.jobs.feed_rounds.FIRST_POLL", 3600.0
    )  # only /pollfeeds polls in this test
    admin, eve = emu.user(ADMIN_ID, "Ada", "ada"), emu.user(666, "Eve", "eve")
    chat, eves = emu.private_chat(admin), emu.private_chat(eve)
    url = serve_beavers(web)
    async with running_bot(settings_for(emu, tmp_path), e5):
        for command in (f"/addfeed {url}", "/feeds", f"/removefeed {url}", "/pollfeeds"):
            emu.send_text(eves, eve, command)
        refusals = await emu.wait_for_messages_async(eves, 4, timeout=30)
        replies: list[int] = []
        for command in (
            "/addfeed ftp://example.org/rss",
            "/pollfeeds",
            f"/addfeed {url}",
            f"/addfeed {url}",
            "/pollfeeds",
            f"/removefeed {url}",
            f"/removefeed {url}",
            "/feeds",
        ):
            emu.send_text(chat, admin, command)
            [*_, reply] = await emu.wait_for_messages_async(chat, len(replies) + 1, timeout=30)
            replies.append(reply.message_id)
            if command == "/pollfeeds":
                await emu.wait_for_async(lambda: "⏳" not in emu.message(chat, replies[-1]).text, 90)
    texts = [emu.message(chat, message_id).text for message_id in replies]
    assert [m.text for m in refusals] == ["Sorry, only the archive's administrators can do that."] * 4
    assert texts == [
        "⚠️ 'ftp://example.org/rss' is not an http(s) URL such as https://example.org/rss.xml",
        "No feeds to poll. Add one: /addfeed URL [source]",
        f"✅ Added {url}: it is polled every 15 min; /pollfeeds polls now.",
        f"{url} is in the feed list already.",
        f"Feed poll finished: 1 feed(s).\n✅ {url}: 1 added, 0 updated, 0 unchanged",
        f"Removed {url}; its articles stay in the archive.",
        f"{url} is not in the feed list (see /feeds).",
        "No feeds yet. Add one: /addfeed URL [source]",
    ]


async def test_stopping_the_bot_ends_a_poll_stuck_on_a_feed_that_trickles_its_answer(
    emu: BotApiEmulator,
    tmp_path: Path,
    e5: E5Embeddings,
    web: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "bot.telegram.jobs.feed_rounds.FIRST_POLL", 3600.0
    )  # only /pollfeeds polls in this test
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    web.route("/slow.xml", Route(trickle=0.5))
    slow, beavers = web.url("/slow.xml"), serve_beavers(web)
    settings = settings_for(emu, tmp_path, feed_timeout=600)  # only the stop can end it in time
    async with running_bot(settings, e5) as app:
        for n, command in enumerate((f"/addfeed {slow}", f"/addfeed {beavers}", "/pollfeeds"), 1):
            emu.send_text(chat, admin, command)
            await emu.wait_for_messages_async(chat, n, timeout=30)
        await emu.wait_for_async(lambda: web.requests_to("/slow.xml"), 60)
        task = services_of(app.bot_data).feeds.task
    # leaving the block stopped the bot (post_stop): the round ended with it, its thread too
    assert task is not None and task.done() and not task.cancelled()  # not left behind after STOP_WAIT
    report = task.result()
    assert report is not None and report.cancelled
    assert [(o.url, o.cancelled) for o in report.outcomes] == [(slow, True)]
    assert web.requests_to("/rss.xml") == []
