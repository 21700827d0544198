"""People ask: in private, in groups, with /ask and /search, and press the buttons under the answers."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from bot.cli import main
from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import bot_settings, running_bot
from tests.emulators.bot_api import BotApiEmulator, SentMessage

PARIS_TITLE = "Европейские лидеры совместно с представителями США"


def button(message: SentMessage, label: str) -> str:
    """The callback data of the one button whose label contains ``label``."""
    [data] = [b["callback_data"] for b in message.buttons if label in b["text"]]
    return str(data)


async def test_a_private_question_gets_an_answer_with_citations(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, alice, "Кто представит США на переговорах в Париже?")
        [answer] = await emu.wait_for_messages_async(chat, 1, timeout=30)
    assert "Уиткофф" in answer.text and "Кушнер" in answer.text
    assert re.search(r"\[1\]", answer.text)
    assert "Источники:\n[1] " + PARIS_TITLE in answer.text
    assert "2026-01-06" in answer.text
    assert [b["text"] for b in answer.buttons] == ["📄 Цитаты", "👍", "👎"]
    assert answer.reply_to_message_id is None  # private chats get plain replies
    assert (chat.id, "typing") in [(a.chat_id, a.action) for a in emu.chat_actions]


async def test_an_english_question_gets_the_short_answer_in_english_above_the_russian_quote(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    bob = emu.user(104, "Bob", "bob")
    chat = emu.private_chat(bob)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, bob, "When will the Tulskaya station open?")
        [answer] = await emu.wait_for_messages_async(chat, 1, timeout=30)
    short, quotes, sources = answer.text.split("\n\n")[:3]
    assert short == "Answer (date): in 2028 (в 2028 году) [1]"
    assert {"type": "bold", "offset": 0, "length": len(short)} in [
        {k: e[k] for k in ("type", "offset", "length")} for e in answer.entities
    ]
    station = "Следующую станцию второй линии, «Тульская», планируют открыть в 2028 году."
    assert quotes == f"The archive says: “{station}” [1]"
    assert sources.startswith("Sources:\n[1] ")
    assert [b["text"] for b in answer.buttons] == ["📄 Quotes", "👍", "👎"]


async def test_in_a_group_the_bot_stays_quiet_until_addressed(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    alice, bob = emu.user(101, "Alice", "alice"), emu.user(102, "Bob", "bob")
    group = emu.group_chat(-500, "Newsroom")
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(group, alice, "какая ставка ЦБ?")  # people talking among themselves
        mention = emu.send_text(group, bob, f"@{emu.bot_username} какая ставка ЦБ?")
        [first] = await emu.wait_for_messages_async(group, 1, timeout=30)
        follow_up = emu.send_text(group, alice, "а морозы в Москве?", reply_to=first.message_id)
        await emu.wait_for_messages_async(group, 2, timeout=30)
        command = emu.send_text(group, alice, "/ask кто представит США в Париже?")
        await emu.wait_for_messages_async(group, 3, timeout=30)
        emu.send_text(group, bob, "спасибо!")  # not addressed: no reply
        await emu.wait_for_async(lambda: emu.pending_updates == 0)
        await asyncio.sleep(0.5)
    first, second, third = emu.messages(group)
    assert first.reply_to_message_id == mention["message_id"]
    assert "16,5%" in first.text and "[1]" in first.text
    assert second.reply_to_message_id == follow_up["message_id"]
    assert "минус 25" in second.text
    assert third.reply_to_message_id == command["message_id"]
    assert "Уиткофф" in third.text
    assert len(emu.messages(group)) == 3


async def test_search_pages_through_buttons(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    journalist = emu.user(103, "Jo", "jo")
    chat = emu.private_chat(journalist)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, journalist, "/search переговоры")
        [page] = await emu.wait_for_messages_async(chat, 1, timeout=30)
        emu.press_button(chat, journalist, page.message_id, button(page, "»"))
        await emu.wait_for_async(lambda: emu.message(chat, page.message_id).edits, timeout=15)
        second = emu.message(chat, page.message_id)
        emu.press_button(chat, journalist, page.message_id, button(second, "«"))
        await emu.wait_for_async(lambda: len(emu.message(chat, page.message_id).edits) == 2, timeout=15)
        emu.send_text(chat, journalist, "/search ставка source:экономика since:2025-12-01 until:2025-12-31")
        [_, filtered] = await emu.wait_for_messages_async(chat, 2, timeout=30)

    head = re.match(r"🔎 переговоры: 1–5 / (\d+) · 1/(\d+)\n", page.text)
    assert head is not None
    total, pages = int(head.group(1)), int(head.group(2))
    assert total > 5 and pages >= 2
    assert re.search(r"^1\. .+\n\d{4}-\d\d-\d\d( · .+)?\n", page.text, re.M)  # title, date · outlet
    assert any(e["type"] == "text_link" for e in page.entities)  # titles link to their articles
    assert [b["text"] for b in page.buttons] == [f"2/{pages} »", "📎 CSV"]
    assert second.text.startswith("🔎 переговоры: 6–")
    assert second.buttons[0]["text"] == f"« 1/{pages}"
    assert emu.message(chat, page.message_id).text == page.text  # « went back to page 1
    assert "Экономика-Пример" in filtered.text and "2025-12-19" in filtered.text
    assert "Пример-Новости" not in filtered.text


async def test_sources_button_and_feedback(
    emu: BotApiEmulator,
    sample_data_dir: Path,
    e5: E5Embeddings,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, alice, "Что писали о морозах в Москве?")
        [answer] = await emu.wait_for_messages_async(chat, 1, timeout=30)
        emu.press_button(chat, alice, answer.message_id, button(answer, "📄"))
        [_, quoted] = await emu.wait_for_messages_async(chat, 2, timeout=15)
        query_id = emu.press_button(chat, alice, answer.message_id, button(answer, "👍"))
        await emu.wait_for_async(lambda: any(a.callback_query_id == query_id for a in emu.callback_answers))
        await emu.wait_for_async(lambda: emu.message(chat, answer.message_id).edits, timeout=15)
    assert quoted.text.startswith("Цитаты источников\n\n[1] Синоптики пообещали москвичам морозы")
    assert "минус 25" in quoted.text
    assert any(e["type"] == "blockquote" for e in quoted.entities)
    assert [a.text for a in emu.callback_answers if a.callback_query_id == query_id] == [
        "Thanks! 👍 recorded."
    ]
    assert [b["text"] for b in emu.message(chat, answer.message_id).buttons][1] == "👍 ✓"

    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(sample_data_dir))
    assert main(["feedback", "--json"]) == 0  # what `newsbot feedback` lists
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["vote"] == "up" and entry["user_id"] == 101
    assert entry["question"] == "Что писали о морозах в Москве?"
    assert entry["article_ids"] == ["sample-frost-2026-01"]
    assert "минус 25" in entry["answer"]


async def test_html_in_a_question_is_shown_as_text(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    mallory = emu.user(104, "Mallory", "mallory")
    chat = emu.private_chat(mallory)
    question = '<b>bold</b> & <a href="x">ставка</a> ЦБ <script>?'
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, mallory, "/search " + question)
        [page] = await emu.wait_for_messages_async(chat, 1, timeout=30)
    assert page.text.startswith('🔎 <b>bold</b> & <a href="x">ставка</a> ЦБ <script>?: 1–')
    assert page.entities[0]["type"] == "bold"  # only the bot's own tags are markup
    assert not emu.server_errors
    assert all(r.error_code is None for r in emu.requests if r.method != "getUpdates")


async def test_keywords_in_a_private_chat_get_an_answer_and_search_marks_match_strength(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    reader = emu.user(104, "Ri", "ri")
    chat = emu.private_chat(reader)
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, reader, "Уиткофф Кушнер")
        [answer] = await emu.wait_for_messages_async(chat, 1, timeout=30)
        emu.send_text(chat, reader, "/search Уиткофф")
        [_, page] = await emu.wait_for_messages_async(chat, 2, timeout=30)
    assert "В архиве нет ответа" not in answer.text
    assert "Уиткофф" in answer.text and "[1]" in answer.text
    assert "Источники:\n[1] " + PARIS_TITLE in answer.text
    first, *rest = page.text.split("\n\n2. ")
    assert "●●● сильное совпадение" in first and "Уиткофф" in first
    # the other articles do not name him: they come after the line that sets weak matches apart
    assert rest and "Дальше — слабые совпадения:" in first + rest[0]
    assert "●○○ слабое совпадение" in page.text
