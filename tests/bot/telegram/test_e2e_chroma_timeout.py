"""The bot in front of a Chroma server that stops answering (docs/soak.md, fault 3): a question waits for
it at most ``NEWSBOT_CHROMA_TIMEOUT`` and is told the archive is unavailable, never left without a
reply; once the server answers again, so does the bot."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from tests.bot.conftest import bot_settings, running_bot
from tests.conftest import SAMPLE
from tests.emulators.bot_api import BotApiEmulator
from tests.support.chroma_server import ChromaServer
from tests.support.stalling_gateway import StallingGateway

pytestmark = pytest.mark.server

APOLOGY_STORE = "Sorry, the archive is unavailable right now. Please try again in a minute."


async def test_a_question_to_a_server_that_never_answers_is_told_the_archive_is_unavailable(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        store_settings = load_settings(chroma_url=server.url, data_dir=tmp_path / "data")
        Ingestion(open_store(store_settings), e5, lock_dir=tmp_path / "locks").run([SAMPLE])
        with StallingGateway(server.url) as gateway:
            alice = emu.user(101, "Alice", "alice")
            chat = emu.private_chat(alice)
            settings = bot_settings(emu, tmp_path / "data", chroma_url=gateway.url, chroma_timeout=2)
            async with running_bot(settings, e5):
                emu.send_text(chat, alice, "какая ставка ЦБ?")
                await emu.wait_for_messages_async(chat, 1, timeout=30)
                gateway.stall()
                emu.send_text(chat, alice, "какая ставка ЦБ?")
                await emu.wait_for_messages_async(chat, 2, timeout=60)
                stalled = gateway.stalled
                gateway.stall(None)
                emu.send_text(chat, alice, "какая ставка ЦБ?")
                await emu.wait_for_messages_async(chat, 3, timeout=60)
    finally:
        server.stop()
    before, during, after = (m.text for m in emu.messages(chat))
    assert "16,5%" in before and "[1]" in before
    assert during == APOLOGY_STORE and stalled >= 1
    assert after == before
