"""Failures: Chroma going away and coming back, bugs, long answers, and the token kept out of the logs."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.archive import AnswererFactory, default_answerer
from bot.present.split import MAX_MESSAGE
from bot.wiring import open_store
from ingest.pipeline import Ingestion
from retrieval.answer.answerer import Answerer, LLMComposer
from retrieval.answer.citations import citation_for
from retrieval.embeddings import E5Embeddings, NewsEmbeddings
from retrieval.records import Answer
from retrieval.search.searcher import SearchResult
from retrieval.settings import Settings, load_settings
from tests.bot.conftest import ADMIN_ID, TOKEN, bot_settings, running_bot
from tests.conftest import SAMPLE
from tests.emulators.bot_api import BotApiEmulator, parse_html
from tests.emulators.openai_api import OpenAIEmulator
from tests.support.chroma_server import ChromaServer

APOLOGY_STORE = "Sorry, the archive is unavailable right now. Please try again in a minute."
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."


class LongWinded:
    """Stands in for a remote LLM that writes at length: it quotes the real passages, each with its [n]."""

    def compose(self, question: str, result: SearchResult, fallback: Answer) -> Answer:
        passages = result.passages[:4]
        citations = tuple(citation_for(n, p, p.chunk.text[:120]) for n, p in enumerate(passages, 1))
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < 10_000:
            n = len(sentences) % len(passages) + 1
            sentences.append(f"{passages[n - 1].chunk.text.replace(chr(10), ' ')} [{n}]")
        return Answer(question, " ".join(sentences), False, citations, tuple(result.passages), mode="llm")


class SlowOnRequest:
    """An LLM that takes its time over one kind of question (a long generation, a busy endpoint)."""

    def compose(self, question: str, result: SearchResult, fallback: Answer) -> Answer:
        if "подробно" in question:
            time.sleep(4)
        return fallback


class Broken:
    """A composer with a bug in it (not an endpoint failure, which the Answerer already falls back on)."""

    def compose(self, question: str, result: SearchResult, fallback: Answer) -> Answer:
        raise RuntimeError("composer bug: index out of range")


def with_llm(llm: LLMComposer) -> AnswererFactory:
    """The real answerer, with ``llm`` in place of an OpenAI-compatible endpoint."""

    def make(settings: Settings, embeddings: NewsEmbeddings) -> Answerer:
        return replace(default_answerer(settings, embeddings), llm=llm)

    return make


async def test_a_10000_character_answer_arrives_split_correctly(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with running_bot(bot_settings(emu, sample_data_dir), e5, with_llm(LongWinded())):
        emu.send_text(chat, alice, "Что писали о морозах в Москве?")
        await emu.wait_for_messages_async(chat, 3, timeout=30)
        await emu.wait_for_async(lambda: emu.messages(chat)[-1].buttons, timeout=15)
    messages = emu.messages(chat)
    assert len(messages) >= 3
    assert all(len(m.html) <= MAX_MESSAGE and len(m.text) <= MAX_MESSAGE for m in messages)
    assert all(r.error_code is None for r in emu.requests if r.method == "sendMessage")
    assert [bool(m.buttons) for m in messages] == [False] * (len(messages) - 1) + [True]
    shown = "\n".join(m.text for m in messages)
    assert len(re.sub(r"\s", "", shown)) > 9_000
    for m in messages:
        assert not re.search(r"\[\d*$|^\[?\d*\]", m.text)  # no marker cut in two
        assert parse_html(m.html)[0] == m.text
    sources = messages[-1].text.split("Источники:\n", 1)[1].splitlines()
    assert [line[:4] for line in sources] == ["[1] ", "[2] ", "[3] ", "[4] "]
    assert all(re.search(r" — \d{4}-\d\d-\d\d", line) for line in sources)  # whole source lines


async def test_one_slow_answer_does_not_hold_up_the_others(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    slow, quick = emu.user(101, "Slow", "slow"), emu.user(102, "Quick", "quick")
    slow_chat, quick_chat = emu.private_chat(slow), emu.private_chat(quick)
    async with running_bot(bot_settings(emu, sample_data_dir), e5, with_llm(SlowOnRequest())):
        emu.send_text(slow_chat, slow, "подробно: какая ставка ЦБ?")
        await asyncio.sleep(0.3)
        emu.send_text(quick_chat, quick, "какая ставка ЦБ?")
        await emu.wait_for_messages_async(quick_chat, 1, timeout=30)
        quick_first = not emu.messages(slow_chat)
        await emu.wait_for_messages_async(slow_chat, 1, timeout=30)
    assert quick_first  # answered while the slow one was still being composed
    assert "16,5%" in emu.messages(quick_chat)[0].text and "16,5%" in emu.messages(slow_chat)[0].text


async def test_chroma_stopped_and_restarted_while_the_bot_runs(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        store_settings = load_settings(chroma_url=server.url, data_dir=tmp_path / "data")
        Ingestion(open_store(store_settings), e5, lock_dir=tmp_path / "locks").run([SAMPLE])
        alice = emu.user(101, "Alice", "alice")
        chat = emu.private_chat(alice)
        settings = bot_settings(emu, tmp_path / "data", chroma_url=server.url)
        async with running_bot(settings, e5):
            emu.send_text(chat, alice, "какая ставка ЦБ?")
            await emu.wait_for_messages_async(chat, 1, timeout=30)
            server.stop()
            emu.send_text(chat, alice, "какая ставка ЦБ?")
            await emu.wait_for_messages_async(chat, 2, timeout=60)
            emu.send_text(chat, alice, "/help")
            await emu.wait_for_messages_async(chat, 3, timeout=60)
            server.start()
            emu.send_text(chat, alice, "какая ставка ЦБ?")
            await emu.wait_for_messages_async(chat, 4, timeout=60)
    finally:
        server.stop()
    before, during, help_text, after = (m.text for m in emu.messages(chat))
    assert "16,5%" in before and "[1]" in before
    assert during == APOLOGY_STORE
    assert "The archive cannot be reached right now" in help_text
    assert after == before


async def test_the_bot_starts_while_chroma_is_down_and_answers_once_it_is_up(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        store_settings = load_settings(chroma_url=server.url, data_dir=tmp_path / "data")
        Ingestion(open_store(store_settings), e5, lock_dir=tmp_path / "locks").run([SAMPLE])
        server.stop()
        alice = emu.user(101, "Alice", "alice")
        chat = emu.private_chat(alice)
        async with running_bot(bot_settings(emu, tmp_path / "data", chroma_url=server.url), e5):
            emu.send_text(chat, alice, "какая ставка ЦБ?")
            await emu.wait_for_messages_async(chat, 1, timeout=60)
            server.start()
            emu.send_text(chat, alice, "какая ставка ЦБ?")
            await emu.wait_for_messages_async(chat, 2, timeout=60)
    finally:
        server.stop()
    down, up = (m.text for m in emu.messages(chat))
    assert down == APOLOGY_STORE
    assert "16,5%" in up and "[1]" in up


async def test_the_llm_endpoint_down_gives_the_offline_answer_and_then_the_llm_again(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings
) -> None:
    witkoff = (
        "Соединенные Штаты на переговорах представят спецпосланники президента Дональда Трампа "
        "Стив Уиткофф и Джаред Кушнер [1]."
    )
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    with OpenAIEmulator(api_key="test-key", model="emu-model") as llm:
        llm.reply_text(witkoff)
        llm.fail_next(503, times=2)  # the first question's request and its one retry
        settings = bot_settings(
            emu, sample_data_dir, llm_base_url=llm.base_url, llm_model="emu-model", llm_api_key="test-key"
        )
        async with running_bot(settings, e5):
            emu.send_text(chat, alice, "Кто представит США на переговорах в Париже?")
            await emu.wait_for_messages_async(chat, 1, timeout=60)
            emu.send_text(chat, alice, "Кто представит США на переговорах в Париже?")
            await emu.wait_for_messages_async(chat, 2, timeout=60)
    offline, answered = (m.text for m in emu.messages(chat))
    assert offline.startswith("Ответ (человек): Стив Уиткофф и Джаред Кушнер [1]\n\nВ архиве сказано: «")
    assert "(the language model did not answer; this answer quotes the archive)" in offline
    assert answered.startswith(witkoff + "\n\nИсточники:\n[1] Европейские лидеры")
    assert "language model did not answer" not in answered


async def test_a_bug_gets_an_apology_and_the_admin_chat_gets_the_details(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    alice, admin = emu.user(101, "Alice", "alice"), emu.user(ADMIN_ID, "Ada", "ada")
    chat, admin_chat = emu.private_chat(alice), emu.private_chat(admin)
    settings = bot_settings(emu, sample_data_dir, admin_chat_id=admin_chat.id)
    async with running_bot(settings, e5, with_llm(Broken())):
        emu.send_text(chat, alice, "какая ставка ЦБ?")
        [apology] = await emu.wait_for_messages_async(chat, 1, timeout=30)
        [report] = await emu.wait_for_messages_async(admin_chat, 1, timeout=15)
        emu.send_text(chat, alice, "/help")  # still running
        await emu.wait_for_messages_async(chat, 2, timeout=30)
    assert apology.text == APOLOGY
    assert report.text.startswith("⚠️ message ") and "from user 101 in chat 101" in report.text
    assert "RuntimeError: composer bug: index out of range" in report.text
    assert TOKEN not in report.text
    assert "RuntimeError: composer bug" in caplog.text


async def test_the_token_never_reaches_the_log(
    emu: BotApiEmulator, sample_data_dir: Path, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="httpx")  # it logs every request URL, token included
    alice = emu.user(101, "Alice", "alice")
    chat = emu.private_chat(alice)
    emu.fail_next("sendMessage", 400, f"Bad Request: echo of /bot{TOKEN}/sendMessage")
    async with running_bot(bot_settings(emu, sample_data_dir), e5):
        emu.send_text(chat, alice, "какая ставка ЦБ?")
        await emu.wait_for_async(lambda: any(r.method == "sendMessage" for r in emu.requests), timeout=30)
        emu.send_text(chat, alice, "какая ставка ЦБ?")
        await emu.wait_for_messages_async(chat, 2, timeout=30)
    assert "/bot<redacted>/getUpdates" in caplog.text  # httpx logged the URLs
    assert "Echo of /bot<redacted>/sendmessage" in caplog.text  # PTB lowercased it: still redacted
    assert TOKEN.split(":")[1].lower() not in caplog.text.lower()
    for record in caplog.records:
        assert TOKEN not in record.getMessage() and TOKEN not in (record.exc_text or "")
