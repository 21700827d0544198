"""In Telegram a story told by two outlets is shown once, "Также в" naming and linking the other; the 📚
button under a search shows every copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from tests.bot.conftest import bot_settings, running_bot
from tests.conftest import SAMPLE
from tests.emulators.bot_api import BotApiEmulator, SentMessage
from tests.support import reprints


@pytest.fixture(scope="module")
def story_data_dir(tmp_path_factory: pytest.TempPathFactory, e5: E5Embeddings) -> Path:
    data_dir = tmp_path_factory.mktemp("bot-stories")
    path = reprints.write_jsonl(
        data_dir / "in" / "paris.jsonl", [reprints.original(), reprints.reprint(), reprints.preview()]
    )
    settings = load_settings(data_dir=data_dir)
    Ingestion(open_store(settings), e5, lock_dir=data_dir / "locks").run([SAMPLE / "news.jsonl", path])
    return data_dir


def links(message: SentMessage) -> list[str]:
    return [str(e["url"]) for e in message.entities if e["type"] == "text_link"]


def outlets_shown(message: SentMessage) -> set[str]:
    return {
        a.source or "" for a in (reprints.original(), reprints.reprint()) if f"· {a.source}" in message.text
    }


async def test_search_shows_the_story_once_and_the_button_shows_every_copy(
    emu: BotApiEmulator, story_data_dir: Path, e5: E5Embeddings
) -> None:
    jo = emu.user(103, "Jo", "jo")
    chat = emu.private_chat(jo)
    async with running_bot(bot_settings(emu, story_data_dir), e5):
        emu.send_text(chat, jo, f"/search {reprints.QUERY}")
        [grouped] = await emu.wait_for_messages_async(chat, 1, timeout=60)
        [data] = [b["callback_data"] for b in grouped.buttons if "📚" in b["text"]]
        emu.press_button(chat, jo, grouped.message_id, str(data))
        [_, every] = await emu.wait_for_messages_async(chat, 2, timeout=60)

    assert grouped.text.count("Также в: ") == 1
    (shown,) = outlets_shown(grouped)
    other = next(a for a in (reprints.original(), reprints.reprint()) if a.source != shown)
    assert f"Также в: {other.source}" in grouped.text
    assert other.url in links(grouped)  # the copy's outlet links to the copy
    assert "Телеграф-Пример" in grouped.text  # the other article on the talks is no copy
    assert grouped.buttons[-1]["text"] == "📚 Все копии"  # under the page buttons
    assert "Также в" not in every.text
    assert outlets_shown(every) == {reprints.original().source, reprints.reprint().source}
    assert not any("📚" in b["text"] for b in every.buttons)


async def test_an_answer_names_the_other_outlet_under_its_source(
    emu: BotApiEmulator, story_data_dir: Path, e5: E5Embeddings
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, story_data_dir), e5):
        emu.send_text(chat, alice, "Кто представит США на переговорах в Париже?")
        [answer] = await emu.wait_for_messages_async(chat, 1, timeout=60)
    sources = answer.text.split("Источники:", 1)[1]
    assert sources.count("Также в: ") == 1
    assert sum(f"— {a.source}" in sources for a in (reprints.original(), reprints.reprint())) == 1
