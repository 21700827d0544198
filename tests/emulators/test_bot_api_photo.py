"""The emulator's sendPhoto, driven by python-telegram-bot's `Bot` and by raw HTTP, as Telegram answers it:
an upload, a file_id or a URL; an HTML caption within 1,024 characters; the PhotoSize array."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest

from .bot_api import BotApiEmulator

TOKEN = "123456:TEST-token_x"


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN) as emulator:
        yield emulator


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def bot_for(emu: BotApiEmulator) -> Bot:
    return Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url)


async def test_an_uploaded_photo_with_an_html_caption_and_buttons(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1, "Alice", "alice"))
    image = png(1000, 450)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more")]])
    async with bot_for(emu) as bot:
        sent = await bot.send_photo(
            chat.id,
            image,
            caption='<b>12</b> articles: <a href="https://example.org/a">first</a>',
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
        )
        file = await sent.photo[-1].get_file()
        downloaded = await file.download_as_bytearray()
    assert [(p.width, p.height) for p in sent.photo] == [(90, 40), (320, 144), (800, 360), (1000, 450)]
    assert len({p.file_unique_id for p in sent.photo}) == 4
    assert sent.caption == "12 articles: first"
    assert [(e.type, e.offset, e.length) for e in sent.caption_entities] == [
        ("bold", 0, 2),
        ("text_link", 13, 5),
    ]
    [message] = emu.messages(chat)
    assert message.text == "12 articles: first" and message.buttons[0]["text"] == "More"
    assert message.photo[-1]["width"] == 1000 and message.photo[-1]["file_size"] == len(image)
    assert emu.file_content(message.photo[-1]["file_id"]) == image == bytes(downloaded)


async def test_a_photo_again_by_file_id_and_by_url(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1, "Alice", "alice"))
    image = png(64, 48)
    async with bot_for(emu) as bot:
        first = await bot.send_photo(chat.id, image)
        again = await bot.send_photo(chat.id, first.photo[-1].file_id)
        path = (await first.photo[-1].get_file()).file_path
        assert path is not None
        by_url = await bot.send_photo(chat.id, path)  # PTB gives the file's full download URL
        with pytest.raises(BadRequest, match=r"(?i)failed to get http url content"):
            await bot.send_photo(chat.id, f"{emu.url}/no/such/picture.png")
    assert [(p.width, p.height) for p in first.photo] == [(64, 48)]  # smaller than the least size: one
    assert [p.file_id for p in again.photo] == [p.file_id for p in first.photo]
    assert emu.file_content(by_url.photo[-1].file_id) == image
    assert first.caption is None


def call(
    emu: BotApiEmulator, method: str, files: dict[str, bytes] | None = None, **params: object
) -> httpx.Response:
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    uploads = {name: (f"{name}.png", content) for name, content in (files or {}).items()}
    return httpx.post(f"{emu.base_url}{TOKEN}/{method}", data=data, files=uploads or None)


def test_what_telegram_refuses(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1, "Alice", "alice"))
    cases: list[tuple[dict[str, bytes], dict[str, object], str | None]] = [
        ({"photo": png(10, 10)}, {"chat_id": chat.id, "caption": "x" * 1025}, "message caption is too long"),
        ({"photo": b"not an image"}, {"chat_id": chat.id}, "IMAGE_PROCESS_FAILED"),
        ({"photo": png(4000, 150)}, {"chat_id": chat.id}, "PHOTO_INVALID_DIMENSIONS"),
        ({}, {"chat_id": chat.id}, "there is no photo in the request"),
        (
            {},
            {"chat_id": chat.id, "photo": "AgACAgIAAxkDAAI99999999"},
            "wrong file identifier/HTTP URL specified",
        ),
        ({"photo": png(10, 10)}, {"chat_id": 777}, "chat not found"),
        ({"photo": png(10, 10)}, {"chat_id": chat.id, "caption": "<b>x", "parse_mode": "HTML"}, None),
    ]
    for files, params, description in cases:
        reply = call(emu, "sendPhoto", files, **params)
        assert reply.status_code == 400 and reply.json()["ok"] is False
        if description is not None:
            assert reply.json()["description"] == f"Bad Request: {description}"
        else:
            assert reply.json()["description"].startswith("Bad Request: can't parse entities:")
    assert emu.messages(chat) == []
    fits = call(emu, "sendPhoto", {"photo": png(10, 10)}, chat_id=chat.id, caption="я" * 1024)
    assert fits.json()["result"]["caption"] == "я" * 1024
