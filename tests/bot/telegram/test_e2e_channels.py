"""Posts in the channels of ``NEWSBOT_CHANNELS`` become articles the bot answers from, citing the post."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pydantic import ValidationError

from bot.telegram.app import NewsbotApp
from bot.telegram.services import services_of
from ingest.locking import local_lock
from retrieval.embeddings import E5Embeddings
from retrieval.records import ArticleInfo
from retrieval.settings import load_settings
from tests.bot.conftest import bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator

BRIDGE = (
    "В Самаре открыли новый мост через Волгу. Мост длиной 1,5 километра соединил Красноглинский район с "
    "левым берегом. Движение по нему запустили на месяц раньше срока."
)
BRIDGE_EDITED = (
    "В Самаре открыли новый мост через Волгу. Мост длиной 1,5 километра соединил Красноглинский район с "
    "левым берегом. Первыми по мосту проехали двенадцать рейсовых автобусов."
)
FERRY = "В Саратове паромную переправу закрыли на ремонт до конца сентября. Пассажиров перевозят катера."
OTHER = "В Казани выпал первый снег. Коммунальные службы вывели на улицы двести единиц техники."
SAMARA, PRIVATE, STRANGER = -1001234567890, -1005555555555, -1009999999999


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 60)).save(out, format="PNG")
    return out.getvalue()


async def articles_when(
    app: NewsbotApp, ids: list[str], done: Callable[[dict[str, ArticleInfo]], bool], timeout: float = 90
) -> dict[str, ArticleInfo]:
    """The store's articles among ``ids`` once ``done`` holds of them (read from a worker thread)."""
    archive = services_of(app.bot_data).archive
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await asyncio.to_thread(lambda: archive.answerer().store.article_infos(ids))
        if done(found):
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"after {timeout:.0f} s the store holds {sorted(found)} of {ids}")
        await asyncio.sleep(0.2)


async def test_posts_of_listed_channels_are_answerable_and_an_edit_replaces_its_article(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    samara = emu.channel_chat(SAMARA, "Самарские вести", "Samara_News")
    private = emu.channel_chat(PRIVATE, "Закрытый канал")
    stranger = emu.channel_chat(STRANGER, "Чужие новости", "other_news")
    reader = emu.user(777, "Rita", "rita")
    chat = emu.private_chat(reader)
    settings = bot_settings(emu, tmp_path / "data", channels=f"@samara_news, {PRIVATE}")
    ids = [f"tg:{SAMARA}:1", f"tg:{SAMARA}:2", f"tg:{PRIVATE}:1", f"tg:{STRANGER}:1"]
    caplog.set_level(logging.INFO, logger="newsbot")
    async with running_bot(settings, e5) as app:
        emu.post_to_channel(samara, BRIDGE)
        emu.post_to_channel(samara, photo=png())  # media without text: nothing to ingest
        emu.post_to_channel(private, FERRY)
        emu.post_to_channel(stranger, OTHER)
        first = await articles_when(app, ids, lambda found: len(found) >= 2)
        emu.send_text(chat, reader, "Что открыли в Самаре?")
        [answer] = await emu.wait_for_messages_async(chat, 1, timeout=30)

        emu.edit_channel_post(samara, 1, BRIDGE_EDITED)
        old = first[ids[0]].content_hash
        edited = await articles_when(app, ids, lambda found: found[ids[0]].content_hash != old)
        emu.send_text(chat, reader, "Кто первым проехал по новому мосту в Самаре?")
        [_, after_edit] = await emu.wait_for_messages_async(chat, 2, timeout=30)
        stats = await asyncio.to_thread(services_of(app.bot_data).archive.stats)
    assert sorted(first) == [f"tg:{SAMARA}:1", f"tg:{PRIVATE}:1"]  # the stranger's and the photo: not
    bridge, ferry = first[f"tg:{SAMARA}:1"], first[f"tg:{PRIVATE}:1"]
    assert (bridge.url, bridge.source) == ("https://t.me/Samara_News/1", "Самарские вести")
    assert bridge.title == "В Самаре открыли новый мост через Волгу."
    assert (ferry.url, ferry.source) == ("https://t.me/c/5555555555/1", "Закрытый канал")
    assert bridge.date is not None and bridge.date == ferry.date
    assert "мост" in answer.text and 'href="https://t.me/Samara_News/1"' in answer.html
    assert sorted(edited) == sorted(first) and stats.articles == 2  # replaced, not added
    assert edited[f"tg:{SAMARA}:1"].date == bridge.date  # an edit keeps the post's date
    assert "двенадцать рейсовых автобусов" in after_edit.text
    assert 'href="https://t.me/Samara_News/1"' in after_edit.html
    assert "раньше срока" not in after_edit.text  # the old text is gone with its chunks
    assert f"ignored post https://t.me/other_news/1: channel {STRANGER} is not in NEWSBOT_CHANNELS" in (
        caplog.text
    )
    assert "skipped channel post https://t.me/Samara_News/2: no text" in caplog.text


async def test_a_post_whose_ingestion_is_refused_is_retried_until_it_is_in(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    samara = emu.channel_chat(SAMARA, "Самарские вести", "samara_news")
    data_dir = tmp_path / "data"
    settings = bot_settings(emu, data_dir, channels=str(SAMARA), ingest_wait=1)
    caplog.set_level(logging.INFO, logger="newsbot")
    async with running_bot(settings, e5) as app:
        store = await asyncio.to_thread(lambda: services_of(app.bot_data).archive.answerer().store)
        with local_lock(data_dir / "locks", store):  # another ingestion holds the collection
            emu.post_to_channel(samara, BRIDGE)
            deadline = asyncio.get_running_loop().time() + 60
            while "trying again in" not in caplog.text:
                assert asyncio.get_running_loop().time() < deadline, "the refused ingestion was not logged"
                await asyncio.sleep(0.2)
        found = await articles_when(app, [f"tg:{SAMARA}:1"], bool)
    assert found[f"tg:{SAMARA}:1"].url == "https://t.me/samara_news/1"
    assert f"could not ingest 1 post(s) of channel:{SAMARA}: " in caplog.text
    assert "1 channel post(s) wait; trying again in 5 s" in caplog.text
    assert f"ingested 1 post(s) of channel:{SAMARA}: 1 added" in caplog.text
    assert "Gave up after waiting 1 s." in caplog.text
    assert "trying again in 15 s" not in caplog.text  # held out, not failing: no growing back-off


async def test_a_post_waits_for_another_ingestion_and_goes_in_when_it_ends(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    samara = emu.channel_chat(SAMARA, "Самарские вести", "samara_news")
    data_dir = tmp_path / "data"
    settings = bot_settings(emu, data_dir, channels=str(SAMARA), ingest_wait=120)
    caplog.set_level(logging.INFO, logger="newsbot")
    caplog.set_level(logging.INFO, logger="ingest.locking")
    async with running_bot(settings, e5) as app:
        store = await asyncio.to_thread(lambda: services_of(app.bot_data).archive.answerer().store)
        with local_lock(data_dir / "locks", store):  # `newsbot ingest`, a feed round
            emu.post_to_channel(samara, BRIDGE)
            await logged(caplog, "waiting up to")
        found = await articles_when(app, [f"tg:{SAMARA}:1"], bool)
    assert found[f"tg:{SAMARA}:1"].url == "https://t.me/samara_news/1"
    assert f"ingested 1 post(s) of channel:{SAMARA}: 1 added" in caplog.text
    assert "could not ingest" not in caplog.text and "trying again" not in caplog.text


async def test_a_bot_stopped_while_a_post_waits_for_another_ingestion_stops_at_once_and_names_it(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    samara = emu.channel_chat(SAMARA, "Самарские вести", "samara_news")
    data_dir = tmp_path / "data"
    settings = bot_settings(emu, data_dir, channels=str(SAMARA), ingest_wait=600)
    caplog.set_level(logging.INFO, logger="newsbot")
    caplog.set_level(logging.INFO, logger="ingest.locking")
    loop = asyncio.get_running_loop()
    with contextlib.ExitStack() as held:
        async with running_bot(settings, e5) as app:
            store = await asyncio.to_thread(lambda: services_of(app.bot_data).archive.answerer().store)
            held.enter_context(local_lock(data_dir / "locks", store))  # until the bot has stopped
            emu.post_to_channel(samara, BRIDGE)
            await logged(caplog, "waiting up to")
            stopping = loop.time()
        stopped_after = loop.time() - stopping
    assert stopped_after < 10  # the README's promise; not after the 600 s wait
    assert f"the ingestion of 1 post(s) of channel:{SAMARA} stopped with the bot" in caplog.text
    assert "channel post https://t.me/samara_news/1 (channel:" in caplog.text  # named as not saved


async def logged(caplog: pytest.LogCaptureFixture, text: str, timeout: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while text not in caplog.text:
        assert asyncio.get_running_loop().time() < deadline, f"no {text!r} in the log"
        await asyncio.sleep(0.1)


def test_channels_are_ids_or_names_and_anything_else_is_refused_by_name() -> None:
    assert load_settings(channels=" @Samara_News ; -1001234567890,").channels == [
        "@Samara_News",
        "-1001234567890",
    ]
    with pytest.raises(ValidationError, match="'samara_news' is neither a chat id"):
        load_settings(channels="@ok_name,samara_news")
