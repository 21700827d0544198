"""The bot while an upload of many chunks is being ingested: others' questions are answered meanwhile,
``/cancel`` stops it within seconds, and stopping the bot (in-process, and ``newsbot serve`` on Ctrl-C)
takes seconds too, with the status message saying the ingestion was cancelled.

The upload is a zip of a short article and one long one (hundreds of chunks: minutes of the bundled
model's time on two cores), so that each of these happens while the model is busy with the long one.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import random
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

from bot.telegram.services import services_of
from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import ADMIN_ID, TOKEN, bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator, Chat
from tests.support.generate import article_text

TRAM = (
    "В Твери запустили новый трамвай на водородном топливе\n\n"
    "В Твери на линию вышел первый трамвай на водородном топливе. Вагон собран на местном заводе и "
    "перевезёт до 180 пассажиров. Городские власти рассчитывают получить ещё шесть таких трамваев до лета."
)
WAIT = 90  # seconds: a bounded wait for what must take seconds, far below the long article's minutes


def big_zip() -> bytes:
    """The short article first (written in a batch of its own), then one of about 450 chunks (within the
    loaders' default length limit)."""
    long_text = "Сводка за год\n\n" + article_text(random.Random(7), "ru", (600, 600))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("news/a-tram.txt", TRAM)
        z.writestr("news/b-digest.txt", long_text)
    return buffer.getvalue()


async def upload_and_wait_for_first_article(emu: BotApiEmulator, chat: Chat) -> int:
    """Send the zip as the admin; the status message's id, once it shows the short article written."""
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    emu.send_document(chat, admin, "big.zip", big_zip())
    [status] = await emu.wait_for_messages_async(chat, 1, timeout=30)
    await emu.wait_for_async(
        lambda: "Articles 1 / 2" in emu.message(chat, status.message_id).text, timeout=WAIT
    )
    return status.message_id


async def test_questions_are_answered_during_an_ingestion_and_cancel_stops_it(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    admin, bob = emu.user(ADMIN_ID, "Ada", "ada"), emu.user(202, "Bob", "bob")
    admin_chat, bob_chat = emu.private_chat(admin), emu.private_chat(bob)
    async with running_bot(bot_settings(emu, tmp_path / "data"), e5) as app:
        status = await upload_and_wait_for_first_article(emu, admin_chat)
        emu.send_text(bob_chat, bob, "Что запустили в Твери?")
        [answer] = await emu.wait_for_messages_async(bob_chat, 1, timeout=WAIT)
        while_answered = emu.message(admin_chat, status).text

        emu.send_text(admin_chat, admin, "/cancel")
        [_, stopping] = await emu.wait_for_messages_async(admin_chat, 2, timeout=30)
        await emu.wait_for_async(lambda: "cancelled" in emu.message(admin_chat, status).text, timeout=WAIT)
        stats = await asyncio.to_thread(services_of(app.bot_data).archive.stats)
    assert while_answered.startswith("⏳ Ingesting big.zip\nArticles 1 / 2")  # still ingesting then
    assert "водородном топливе" in answer.text and "[1]" in answer.text
    assert stopping.text.startswith("Stopping")
    final = emu.message(admin_chat, status).text
    assert final.startswith("⏹ Ingesting big.zip\nIngestion cancelled: 1 added, 0 updated"), final
    assert (stats.articles, stats.chunks) == (1, 1)  # the long article left nothing half-written


async def test_stopping_the_bot_cancels_a_running_ingestion_within_a_bounded_wait(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    chat = emu.private_chat(emu.user(ADMIN_ID, "Ada", "ada"))
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(running_bot(bot_settings(emu, tmp_path / "data"), e5))
        status = await upload_and_wait_for_first_article(emu, chat)
        await asyncio.wait_for(stack.aclose(), timeout=WAIT)  # updater, Application, post_stop
    final = emu.message(chat, status).text
    assert final.startswith("⏹ Ingesting big.zip\nIngestion cancelled: 1 added"), final


def test_newsbot_serve_stops_on_ctrl_c_during_an_ingestion(emu: BotApiEmulator, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": emu.base_url,
        "NEWSBOT_DATA_DIR": str(tmp_path / "data"),
        "NEWSBOT_ADMIN_IDS": str(ADMIN_ID),
    }
    admin = emu.user(ADMIN_ID, "Ada", "ada")
    chat = emu.private_chat(admin)
    log = tmp_path / "serve.log"
    with log.open("wb") as err:
        bot = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve"], cwd=tmp_path, env=env, stderr=err)
        try:
            emu.send_document(chat, admin, "big.zip", big_zip())
            [status] = emu.wait_for_messages(chat, 1, timeout=120)
            emu.wait_for(lambda: "Articles 1 / 2" in emu.message(chat, status.message_id).text, timeout=WAIT)
            bot.send_signal(signal.SIGINT)
            bot.wait(timeout=WAIT)
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait()
    logged = log.read_text(encoding="utf-8", errors="replace")
    assert bot.returncode == 0, logged[-3000:]
    final = emu.message(chat, status.message_id).text
    assert final.startswith("⏹ Ingesting big.zip\nIngestion cancelled: 1 added"), final
