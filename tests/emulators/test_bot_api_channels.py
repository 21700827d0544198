"""Channel posts as Telegram sends them: `channel_post` and `edited_channel_post` updates for a channel the
bot administers, read by python-telegram-bot's `Bot.get_updates` with `Update.ALL_TYPES`."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from telegram import Bot, Update

from .bot_api import BotApiEmulator

TOKEN = "123456:TEST-token_x"


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN) as emulator:
        yield emulator


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 90, 200)).save(out, format="PNG")
    return out.getvalue()


async def test_posts_and_edits_arrive_with_the_channel_as_sender_and_no_from(emu: BotApiEmulator) -> None:
    channel = emu.channel_chat(-1001234567890, "Вечерние новости", "evening_news")
    raw = emu.post_to_channel(channel, "Мост через Волгу открыли. Подробности у @volga_bridge")
    emu.post_to_channel(channel, photo=png(), caption="Фото с открытия")
    emu.post_to_channel(channel, photo=png())
    edited = emu.edit_channel_post(channel, 1, "Мост через Волгу открыли досрочно.")
    async with Bot(TOKEN, base_url=emu.base_url) as bot:
        updates = await bot.get_updates(timeout=0, allowed_updates=Update.ALL_TYPES)
    assert "from" not in raw and raw["sender_chat"] == raw["chat"] == channel.to_json()
    assert [u.effective_message.message_id for u in updates if u.effective_message] == [1, 2, 3, 1]
    text, captioned, bare, edit = updates
    assert text.channel_post is not None and text.message is None
    post = text.channel_post
    assert post.from_user is None and post.sender_chat is not None and post.sender_chat.id == channel.id
    assert post.chat.type == "channel" and post.chat.title == "Вечерние новости"
    assert post.chat.username == "evening_news" and post.date is not None and post.edit_date is None
    assert [(e.type, post.parse_entity(e)) for e in post.entities] == [("mention", "@volga_bridge")]
    assert captioned.channel_post is not None and captioned.channel_post.caption == "Фото с открытия"
    assert [p.width for p in captioned.channel_post.photo] == [90, 320, 640]
    assert bare.channel_post is not None and bare.channel_post.caption is None and bare.channel_post.photo
    assert edit.edited_channel_post is not None and edit.channel_post is None
    assert edit.edited_channel_post.text == "Мост через Волгу открыли досрочно."
    assert edit.edited_channel_post.edit_date is not None and edit.edited_channel_post.date == post.date
    assert edit.edited_channel_post.entities == () and "edit_date" in edited


async def test_posts_reach_only_a_bot_that_administers_the_channel_and_asks_for_them(
    emu: BotApiEmulator,
) -> None:
    theirs = emu.channel_chat(-1009876543210, "Чужой канал", bot_is_admin=False)
    ours = emu.channel_chat(-1001111111111, "Наш канал")
    emu.post_to_channel(theirs, "Пост, который бот не видит.")
    async with Bot(TOKEN, base_url=emu.base_url) as bot:
        assert await bot.get_updates(timeout=0, allowed_updates=[Update.MESSAGE]) == ()
        emu.post_to_channel(ours, "Пост до того, как бот попросил посты каналов.")  # dropped: not asked for
        assert await bot.get_updates(timeout=0) == ()
        updates = await bot.get_updates(timeout=0, allowed_updates=[Update.CHANNEL_POST])
        assert updates == ()
        emu.post_to_channel(ours, "Теперь бот его получит.")
        [update] = await bot.get_updates(timeout=0)
    assert update.channel_post is not None and update.channel_post.text == "Теперь бот его получит."
    assert update.channel_post.link == "https://t.me/c/1111111111/2"


def test_bad_posts_are_refused_on_the_test_side(emu: BotApiEmulator) -> None:
    group = emu.group_chat(-42, "Группа")
    channel = emu.channel_chat(-1002222222222, "Канал")
    with pytest.raises(ValueError, match="not a channel"):
        emu.post_to_channel(group, "Текст")
    with pytest.raises(ValueError, match="start with -100"):
        emu.channel_chat(-42, "Не канал")
    with pytest.raises(ValueError, match="a text, or a photo"):
        emu.post_to_channel(channel)
    with pytest.raises(ValueError, match="not a photo"):
        emu.post_to_channel(channel, photo=b"not an image")
    emu.post_to_channel(channel, "Один и тот же текст.")
    with pytest.raises(ValueError, match="already says that"):
        emu.edit_channel_post(channel, 1, "Один и тот же текст.")
    with pytest.raises(LookupError, match="no post 7"):
        emu.edit_channel_post(channel, 7, "Нет такого поста.")
