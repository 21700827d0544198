"""The emulator's inline mode: inline queries, answerInlineQuery as Telegram checks it, chosen results."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import Application, ChosenInlineResultHandler, ContextTypes, InlineQueryHandler

from .bot_api import BotApiEmulator

TOKEN = "123456:TEST-token_x"
TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN, inline_mode=True, inline_feedback=True) as emulator:
        yield emulator


def call(emu: BotApiEmulator, method: str, **params: object) -> httpx.Response:
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return httpx.post(f"{emu.base_url}{TOKEN}/{method}", data=data)


def article(result_id: str, title: str = "Top story", text: str = "<b>Top</b> story") -> dict[str, Any]:
    content = {"message_text": text, "parse_mode": "HTML"}
    return {"type": "article", "id": result_id, "title": title, "input_message_content": content}


def answered(emu: BotApiEmulator, results: list[Any], **params: object) -> httpx.Response:
    query_id = emu.send_inline_query(emu.user(7, "Ina"), "story")
    return call(emu, "answerInlineQuery", inline_query_id=query_id, results=results, **params)


async def suggest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    inline = update.inline_query
    assert inline is not None
    results = [
        InlineQueryResultArticle(
            str(n),
            f"{inline.query} #{n}",
            InputTextMessageContent(
                f'<b>{inline.query}</b> <a href="https://example.org/{n}">source {n}</a>',
                parse_mode=ParseMode.HTML,
            ),
            description=f"chat type {inline.chat_type}",
        )
        for n in (1, 2)
    ]
    button = InlineQueryResultsButton("Open the bot", start_parameter="help")
    await inline.answer(results, cache_time=7, is_personal=True, button=button)


@contextlib.asynccontextmanager
async def polling(emu: BotApiEmulator, chosen: list[str]) -> AsyncIterator[None]:
    async def remember(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.chosen_inline_result is not None
        chosen.append(update.chosen_inline_result.result_id)

    app = Application.builder().token(emu.token).base_url(emu.base_url).build()
    app.add_handler(InlineQueryHandler(suggest))
    app.add_handler(ChosenInlineResultHandler(remember))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()


async def test_getme_says_whether_inline_mode_is_on(emu: BotApiEmulator) -> None:
    async with Bot(emu.token, base_url=emu.base_url) as bot:
        assert bot.supports_inline_queries is True
    with BotApiEmulator(token=TOKEN) as plain:
        async with Bot(plain.token, base_url=plain.base_url) as bot:
            assert bot.supports_inline_queries is False
        with pytest.raises(RuntimeError, match="/setinline"):
            plain.send_inline_query(plain.user(7, "Ina"), "story")


async def test_a_query_is_answered_and_a_chosen_result_posted_via_the_bot(emu: BotApiEmulator) -> None:
    ina = emu.user(7, "Ina", "ina")
    group = emu.group_chat(-900, "Desk")
    chosen: list[str] = []
    async with polling(emu, chosen):
        answer = await emu.inline_query_async(ina, "frost", chat_type="supergroup")
        posted = emu.choose_inline_result(group, ina, answer, "2")
        await emu.wait_for_async(lambda: chosen)
    assert answer.titles == ["frost #1", "frost #2"]
    assert [r["description"] for r in answer.results] == ["chat type supergroup"] * 2
    assert (answer.cache_time, answer.is_personal, answer.next_offset) == (7, True, "")
    assert answer.button == {"text": "Open the bot", "start_parameter": "help"}
    assert posted["text"] == "frost source 2"
    assert posted["from"]["id"] == ina.id and posted["via_bot"]["username"] == emu.bot_username
    assert {"type": "text_link", "offset": 6, "length": 8, "url": "https://example.org/2"} in posted[
        "entities"
    ]
    assert chosen == ["2"]
    assert emu.inline_answers == [answer]


def test_an_unknown_or_expired_query_id_is_refused(emu: BotApiEmulator) -> None:
    unknown = call(emu, "answerInlineQuery", inline_query_id="42", results=[article("1")])
    assert (unknown.status_code, unknown.json()["description"]) == (400, TOO_OLD)
    with BotApiEmulator(token=TOKEN, inline_mode=True, inline_query_lifetime=0.0) as strict:
        query_id = strict.send_inline_query(strict.user(7, "Ina"), "story")
        late = httpx.post(
            f"{strict.base_url}{TOKEN}/answerInlineQuery",
            data={"inline_query_id": query_id, "results": json.dumps([article("1")])},
        )
    assert (late.status_code, late.json()["description"]) == (400, TOO_OLD)


@pytest.mark.parametrize(
    ("results", "description"),
    [
        ([article("1"), article("1")], "Bad Request: RESULT_ID_DUPLICATE"),
        ([article(str(n)) for n in range(51)], "Bad Request: too many inline query results specified"),
        ({"type": "article"}, "Bad Request: expected an Array of inline query results"),
        (
            [{"type": "article", "id": "1"}],
            "Bad Request: can't parse inline query result: Can't find field \"message_text\"",
        ),
        (
            [{k: v for k, v in article("1").items() if k != "title"}],
            "Bad Request: can't parse inline query result: Can't find field \"title\"",
        ),
        (
            [article("1", text="<foo>story</foo>")],
            "Bad Request: can't parse inline query result: Can't parse entities: "
            'Unsupported start tag "foo" at byte offset 0',
        ),
        ([article("1", text="<b> </b>")], "Bad Request: text must be non-empty"),
        ([article("1", title="  ")], "Bad Request: ARTICLE_TITLE_EMPTY"),
        ([article("1", text="x" * 4097)], "Bad Request: MESSAGE_TOO_LONG"),
    ],
)
def test_results_are_checked_as_telegram_checks_them(
    emu: BotApiEmulator, results: Any, description: str
) -> None:
    reply = answered(emu, results)
    assert reply.status_code == 400
    assert reply.json() == {"ok": False, "error_code": 400, "description": description}
    assert emu.inline_answers == []


@pytest.mark.parametrize(
    ("button", "description"),
    [
        ({"text": "Help"}, "InlineQueryResultsButton must have exactly one optional field"),
        ({"start_parameter": "help"}, 'Can\'t find field "text"'),
        ({"text": "Help", "start_parameter": "a b"}, "unallowed characters in start_parameter are used"),
        ({"text": "Help", "start_parameter": "x" * 65}, "too long start_parameter specified"),
    ],
)
def test_the_button_is_checked_as_telegram_checks_it(
    emu: BotApiEmulator, button: dict[str, Any], description: str
) -> None:
    reply = answered(emu, [article("1")], button=button)
    assert reply.status_code == 400
    assert reply.json()["description"].endswith(description)
    assert emu.inline_answers == []


def test_an_empty_answer_and_the_defaults(emu: BotApiEmulator) -> None:
    reply = answered(emu, [])
    assert reply.json() == {"ok": True, "result": True}
    [answer] = emu.inline_answers
    assert (answer.results, answer.cache_time, answer.is_personal, answer.button) == ((), 300, False, None)
