"""``/help`` and ``/stats`` speak the user's Telegram language (``from.language_code``): Russian for a
Russian client, English for any other or none (the emulator's updates carry it as Telegram's do)."""

from __future__ import annotations

from pathlib import Path

from retrieval.embeddings import E5Embeddings
from retrieval.store.chunks import ChunkStore
from tests.bot.conftest import ADMIN_ID, bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator, User


async def test_help_and_stats_in_russian_for_a_russian_user(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    ira, admin = (
        User(111, "Ира", "ira", language_code="ru"),
        User(ADMIN_ID, "Ада", "ada", language_code="ru-RU"),
    )
    chat, admin_chat = emu.private_chat(ira), emu.private_chat(admin)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, ira, "/help")
        [help_text] = await emu.wait_for_messages_async(chat, 1, timeout=30)
        emu.send_text(chat, ira, "/stats")
        [_, stats] = await emu.wait_for_messages_async(chat, 2, timeout=30)
        emu.send_text(admin_chat, admin, "/help")
        [admin_help] = await emu.wait_for_messages_async(admin_chat, 1, timeout=30)

    lines = help_text.text.splitlines()
    assert lines[:2] == [
        "Я отвечаю на вопросы по архиву новостей и называю источники.",
        "В архиве 12 статей, с 2025-12-19 по 2026-01-16.",
    ]
    assert {"Как спрашивать", "Команды", "/stats — что есть в архиве", "/help — это сообщение"} <= set(lines)
    assert (
        f"• В группе упомяните меня (@{emu.bot_username}), ответьте на моё сообщение или используйте /ask."
        in lines
    )
    assert "например /search ключевая ставка от:2025-12-01 источник:Экономика" in lines
    assert not {"How to ask", "Commands", "Administrators"} & set(lines)
    assert all(len(line) < 100 for line in lines)
    assert "Администраторам" not in help_text.text and "Администраторам\n/reingest" in admin_help.text

    chunks = len(list(ChunkStore.open(None, sample_data_dir / "chroma", "news").visible_chunks()))
    assert stats.text.startswith(f"Архив\nСтатей: 12\nФрагментов: {chunks}\nДаты: 2025-12-19 … 2026-01-16\n")
    assert "\nПоследняя индексация: 20" in stats.text and "\n  Пример-Новости: 3" in stats.text
    assert "Издания (" in stats.text and "Articles" not in stats.text


async def test_help_and_stats_in_english_for_other_clients_and_without_a_language(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    hans, nobody = User(112, "Hans", "hans", language_code="de"), User(113, "Kim", "kim", language_code=None)
    hans_chat, nobody_chat = emu.private_chat(hans), emu.private_chat(nobody)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(hans_chat, hans, "/help")
        emu.send_text(nobody_chat, nobody, "/stats")
        [help_text] = await emu.wait_for_messages_async(hans_chat, 1, timeout=30)
        [stats] = await emu.wait_for_messages_async(nobody_chat, 1, timeout=30)
    assert help_text.text.startswith(
        "I answer questions about a news archive and cite my sources.\nIt holds 12"
    )
    assert stats.text.startswith("Archive\nArticles: 12\n")
