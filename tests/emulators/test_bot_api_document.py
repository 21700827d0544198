"""The emulator's sendDocument as the bot uses it, driven by python-telegram-bot's `Bot`: a multipart
upload with a file name and an HTML caption, answered with a Message carrying the `document`; an empty
file refused as Telegram refuses it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest

from .bot_api import BotApiEmulator

TOKEN = "123456:TEST-token_x"


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN) as emulator:
        yield emulator


async def test_an_uploaded_document_comes_back_as_a_message_with_its_document(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1, "Alice", "alice"))
    content = "date,title\r\n2026-01-06,«Ставка», 16%\r\n".encode()
    async with Bot(TOKEN, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
        sent = await bot.send_document(
            chat.id, content, filename="search.csv", caption="🔎 <b>ставка</b>: 1", parse_mode=ParseMode.HTML
        )
        downloaded = await (await sent.document.get_file()).download_as_bytearray()
        with pytest.raises(BadRequest, match=r"(?i)file must be non-empty"):
            await bot.send_document(chat.id, b"", filename="empty.csv")
    assert sent.document is not None and sent.caption == "🔎 ставка: 1"
    assert (sent.document.file_name, sent.document.mime_type) == ("search.csv", "text/csv")
    assert sent.document.file_size == len(content) == len(downloaded)
    [message] = emu.messages(chat)
    assert message.document is not None and message.text == "🔎 ставка: 1"
    assert emu.file_content(message.document["file_id"]) == content == bytes(downloaded)
