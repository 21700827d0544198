"""Inline mode end to end: ``@bot words`` in any chat lists passages of the sample archive; choosing one
posts it with its title, date and link."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import TOKEN, bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator, InlineAnswer
from tests.support.chroma_server import free_port

METRO = "В Казани открылась станция метро «Сукно»"
METRO_URL = "https://example.org/news/kazan-metro-sukno"


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN, inline_mode=True) as emulator:
        yield emulator


def link_urls(message: dict[str, object]) -> list[str]:
    entities = message.get("entities", [])
    assert isinstance(entities, list)
    return [e["url"] for e in entities if e["type"] == "text_link"]


async def test_an_inline_query_lists_passages_and_a_chosen_one_is_posted_cited(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    ina = emu.user(301, "Ina", "ina")
    desk = emu.group_chat(-901, "Desk")
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        answer = await emu.inline_query_async(ina, "new metro station in Kazan", timeout=30)
        [first] = [r for r in answer.results if r["title"] == METRO]
        posted = emu.choose_inline_result(desk, ina, answer, first["id"])
        await emu.wait_for_async(lambda: emu.pending_updates == 0)
        await asyncio.sleep(0.5)
    assert answer.titles[0] == METRO
    assert 1 <= len(answer.results) <= 10
    assert first["description"].startswith("2026-01-12 · Пример-Новости · ")
    assert "Сукно" in first["description"]
    assert (answer.is_personal, answer.cache_time) == (False, 5)  # the same for everyone: shared briefly
    text = str(posted["text"])
    assert text.startswith(f"{METRO}\n2026-01-12 · Пример-Новости\n")
    assert "станция метро «Сукно» на второй линии" in text
    assert link_urls(posted) == [METRO_URL]
    assert posted["via_bot"]["username"] == emu.bot_username
    assert emu.messages(desk) == []  # the bot does not reply to a passage shared through it


async def test_a_result_posted_in_the_bots_own_chat_is_not_taken_for_a_question(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    ina = emu.user(301, "Ina", "ina")
    chat = emu.private_chat(ina)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        answer = await emu.inline_query_async(ina, "chipmaker Dresden", chat_type="private", timeout=30)
        assert answer.titles[0] == "Chipmaker opens research centre in Dresden"
        posted = emu.choose_inline_result(chat, ina, answer, answer.results[0]["id"])
        emu.send_text(chat, ina, "how many engineers will the Dresden centre employ?")
        [reply] = await emu.wait_for_messages_async(chat, 1, timeout=30)
        await emu.wait_for_async(lambda: emu.pending_updates == 0)
        await asyncio.sleep(0.5)
    assert str(posted["text"]).startswith(
        "Chipmaker opens research centre in Dresden\n2026-01-08 · Example Wire"
    )
    assert link_urls(posted) == ["https://example.org/en/chip-dresden"]
    assert "350" in reply.text  # the question is answered; the shared passage was not
    assert len(emu.messages(chat)) == 1


async def test_filters_apply_and_an_empty_or_wrong_query_gets_a_hint(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    ina = emu.user(301, "Ina", "ina")
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        old = await emu.inline_query_async(ina, "metro station Kazan until:2020-01-01", timeout=30)
        outlet = await emu.inline_query_async(ina, "metro station source:Пример-Новости", timeout=30)
        wrong = await emu.inline_query_async(ina, "metro source:Nowhere", timeout=30)
        empty = await emu.inline_query_async(ina, "", timeout=30)
    assert old.results == () and old.button is None  # nothing that old in the archive
    assert outlet.titles[0] == METRO
    assert all(r["description"].split(" · ")[1] == "Пример-Новости" for r in outlet.results)
    assert wrong.results == ()
    assert wrong.button is not None and wrong.button["text"].startswith("⚠️ No outlet called «Nowhere»")
    assert empty.results == ()
    assert empty.button == {"text": "Type words to search the archive", "start_parameter": "help"}


async def test_with_an_allow_list_only_members_get_results_and_they_are_personal(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    member, stranger = emu.user(301, "Mia", "mia"), emu.user(302, "Stan", "stan")
    async with running_bot(bot_settings(emu, sample_data_dir, allowed_ids=[301]), e5):
        theirs = await emu.inline_query_async(stranger, "metro station Kazan", timeout=30)
        ours = await emu.inline_query_async(member, "metro station Kazan", timeout=30)
    assert (theirs.results, theirs.is_personal) == ((), True)
    assert ours.titles[0] == METRO and ours.is_personal


async def test_an_unreachable_store_answers_empty_and_says_so(
    emu: BotApiEmulator, e5: E5Embeddings, tmp_path: Path
) -> None:
    ina = emu.user(301, "Ina", "ina")
    settings = bot_settings(emu, tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    async with running_bot(settings, e5):
        answer: InlineAnswer = await emu.inline_query_async(ina, "metro station Kazan", timeout=60)
        again = await emu.inline_query_async(ina, "metro", timeout=60)  # the handler keeps working
    assert answer.results == () and again.results == ()
    assert answer.button is not None and answer.button["text"] == "The archive is unavailable right now"
