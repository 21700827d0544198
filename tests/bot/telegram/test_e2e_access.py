"""Who gets answers, how often, what /start, /help and /stats say, and serving by webhook."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from bot.telegram.app import ADMIN_COMMANDS, USER_COMMANDS, webhook_options
from retrieval.embeddings import E5Embeddings
from retrieval.store.chunks import ChunkStore
from tests.bot.conftest import ADMIN_ID, bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator
from tests.support.chroma_server import free_port


async def test_the_allow_list_refuses_others_once(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    member, stranger, guest = emu.user(201, "Mia", "mia"), emu.user(202, "Stan", "stan"), emu.user(203, "Gus")
    member_chat, stranger_chat = emu.private_chat(member), emu.private_chat(stranger)
    team = emu.group_chat(-700, "Team")
    settings = bot_settings(emu, sample_data_dir, allowed_ids=[201, -700])
    async with running_bot(settings, e5):
        emu.send_text(stranger_chat, stranger, "какая ставка ЦБ?")
        [refusal] = await emu.wait_for_messages_async(stranger_chat, 1, timeout=30)
        emu.send_text(stranger_chat, stranger, "ну пожалуйста, какая ставка?")
        emu.send_text(member_chat, member, "какая ставка ЦБ?")
        emu.send_text(team, guest, f"@{emu.bot_username} какая ставка ЦБ?")  # an allowed chat
        await emu.wait_for_messages_async(member_chat, 1, timeout=30)
        await emu.wait_for_messages_async(team, 1, timeout=30)
        await emu.wait_for_async(lambda: emu.pending_updates == 0)
        await asyncio.sleep(0.5)
    assert refusal.text == "Sorry, this bot answers only its members. Ask its owner to add your id: 202."
    assert len(emu.messages(stranger_chat)) == 1  # told once, then ignored
    assert "16,5%" in emu.messages(member_chat)[0].text
    assert "16,5%" in emu.messages(team)[0].text


async def test_the_rate_limit_answers_with_a_friendly_message(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, sample_data_dir, rate_limit_per_minute=2), e5):
        for question in ("какая ставка ЦБ?", "что с морозами?", "кто победил в хоккее?"):
            emu.send_text(chat, alice, question)
        await emu.wait_for_messages_async(chat, 3, timeout=30)
        await asyncio.sleep(0.3)
    texts = [m.text for m in emu.messages(chat)]
    assert len(texts) == 3
    [limited] = [t for t in texts if t.startswith("You are asking faster")]
    assert limited.endswith("s and ask again.")
    assert sum("[1]" in t for t in texts) == 2


async def test_help_describes_the_archive_commands_and_filters(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    alice, admin = emu.user(101, "Alice", "alice"), emu.user(ADMIN_ID, "Ada", "ada")
    chat, admin_chat = emu.private_chat(alice), emu.private_chat(admin)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, alice, "/start")
        emu.send_text(admin_chat, admin, "/help")
        emu.send_text(chat, alice, "/stats")
        await emu.wait_for_messages_async(chat, 2, timeout=30)
        [admin_help] = await emu.wait_for_messages_async(admin_chat, 1, timeout=30)
    help_text, stats = sorted(
        (m.text for m in emu.messages(chat)), key=lambda t: not t.startswith("I answer")
    )
    assert "It holds 12 articles, from 2025-12-19 to 2026-01-16." in help_text
    assert "Кто представит США на переговорах в Париже?" in help_text  # examples in Russian
    assert "who represents the US in Paris?" in help_text  # and in English
    assert "since:2026-01-01" in help_text and 'source:"Example Wire"' in help_text
    assert all(len(line) < 100 for line in help_text.splitlines())
    assert f"@{emu.bot_username}" in help_text
    assert "/reingest" not in help_text and "/reingest" in admin_help.text
    chunks = len(list(ChunkStore.open(None, sample_data_dir / "chroma", "news").visible_chunks()))
    assert stats.startswith(f"Archive\nArticles: 12\nChunks: {chunks}\nDates: 2025-12-19 … 2026-01-16")
    assert "Пример-Новости: 3" in stats and "Last ingestion: 20" in stats
    assert [c["command"] for c in emu.commands()] == [c.command for c in USER_COMMANDS]
    scope = {"type": "chat", "chat_id": ADMIN_ID}
    assert [c["command"] for c in emu.commands(scope)] == [c.command for c in ADMIN_COMMANDS]


async def test_filters_in_a_question_and_their_mistakes(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, alice, "/ask какая ставка ЦБ? until:2025-12-01")
        [outside] = await emu.wait_for_messages_async(chat, 1, timeout=30)
        emu.send_text(chat, alice, "/ask какая ставка ЦБ? since:вчерашний-понедельник")
        [_, bad_date] = await emu.wait_for_messages_async(chat, 2, timeout=30)
        emu.send_text(chat, alice, "какая ставка ЦБ? source:Известия")
        [*_, bad_source] = await emu.wait_for_messages_async(chat, 3, timeout=30)
        emu.send_text(chat, alice, "/ask")
        [*_, usage] = await emu.wait_for_messages_async(chat, 4, timeout=30)
        emu.send_text(chat, alice, "/ask ставка since:<b>&amp;</b>")
        [*_, echoed] = await emu.wait_for_messages_async(chat, 5, timeout=30)
    assert outside.text.startswith("В архиве нет ответа на этот вопрос.")
    assert bad_date.text.startswith("⚠️ «вчерашний-понедельник» is not a date I understand")
    assert bad_source.text.startswith("⚠️ No outlet called «Известия» in the archive. Outlets: Example Wire,")
    assert usage.text == "Ask me something after the command, e.g. /ask who represents the US in Paris?"
    assert echoed.text.startswith("⚠️ «<b>&amp;</b>» is not a date")  # user text shown as typed


async def test_webhook_mode_registers_the_webhook_and_answers_posted_updates(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    port = free_port()
    settings = bot_settings(
        emu,
        sample_data_dir,
        webhook_url="https://bot.example.org/tg/hook",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    options = webhook_options(settings)
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(settings, e5, polling=False) as app:
        assert app.updater is not None
        await app.updater.start_webhook(**options)
        message = emu.send_text(chat, alice, "какая ставка ЦБ?")  # what Telegram would POST to the webhook
        async with httpx.AsyncClient() as client:
            forged = await client.post(
                f"http://127.0.0.1:{port}/tg/hook", json={"update_id": 1, "message": message}
            )
            posted = await client.post(
                f"http://127.0.0.1:{port}/tg/hook",
                json={"update_id": 2, "message": message},
                headers={"X-Telegram-Bot-Api-Secret-Token": options["secret_token"]},
            )
        [answer] = await emu.wait_for_messages_async(chat, 1, timeout=30)
    assert forged.status_code == 403  # without the secret Telegram sends, nobody can post updates
    assert posted.status_code == 200
    assert "16,5%" in answer.text
    webhook = emu.webhook
    assert webhook is not None and webhook["url"] == "https://bot.example.org/tg/hook"
    assert webhook["secret_token"] == options["secret_token"] != settings.telegram_bot_token
