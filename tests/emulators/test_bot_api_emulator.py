"""The Bot API emulator, driven by the real python-telegram-bot `Application` and `Bot` over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Conflict, EndPointNotFound, InvalidToken, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from . import bot_api
from .bot_api import BotApiEmulator, CallbackAnswer, EntityParseError, parse_html

TOKEN = "123456:TEST-token_x"
NEWS_HTML = '<b>Top story</b> &amp; more: <a href="https://example.com/a">read</a>'
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Expand", callback_data="expand:1")]])


@pytest.fixture
def emu() -> Iterator[BotApiEmulator]:
    with BotApiEmulator(token=TOKEN) as emulator:
        yield emulator


# ---- a tiny bot ---------------------------------------------------------------------------------------


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text, do_quote=True)


async def news(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.chat.send_action(ChatAction.TYPING)
    await update.message.reply_html(NEWS_HTML, reply_markup=KEYBOARD)


async def expand(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Expanded")
    await query.edit_message_text(f"<i>Full story</i> for {query.data}", parse_mode=ParseMode.HTML)


async def size_up(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.document is not None
    document = update.message.document
    data = await (await document.get_file()).download_as_bytearray()
    await update.message.reply_text(f"{document.file_name}: {len(data)} bytes: {bytes(data).decode()}")


def build_app(emu: BotApiEmulator) -> Application[Any, Any, Any, Any, Any, Any]:
    app = (
        Application.builder().token(emu.token).base_url(emu.base_url).base_file_url(emu.base_file_url).build()
    )
    app.add_handler(CommandHandler("news", news))
    app.add_handler(CallbackQueryHandler(expand))
    app.add_handler(MessageHandler(filters.Document.ALL, size_up))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


@contextlib.asynccontextmanager
async def polling(emu: BotApiEmulator) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """The bot, long polling the emulator from this test's event loop."""
    app = build_app(emu)
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


def bot_for(emu: BotApiEmulator, token: str = TOKEN) -> Bot:
    return Bot(token, base_url=emu.base_url, base_file_url=emu.base_file_url)


# ---- the Application end to end -----------------------------------------------------------------------


async def test_echo_comes_back_as_a_reply(emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with polling(emu):
        sent = emu.send_text(chat, alice, "hello there")
        [reply] = await emu.wait_for_messages_async(chat, 1)
    assert (reply.text, reply.html, reply.parse_mode) == ("hello there", "hello there", None)
    assert reply.reply_to_message_id == sent["message_id"] == 1
    assert reply.message_id == 2  # one counter per chat, shared with the user's messages
    assert emu.pending_updates == 0  # the updater confirmed what it fetched


async def test_command_replies_in_html_and_a_button_press_edits_it(emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with polling(emu):
        command = emu.send_text(chat, alice, "/news")
        [shown] = await emu.wait_for_messages_async(chat, 1)
        query_id = emu.press_button(chat, alice, shown.message_id, "expand:1")
        edited = await emu.wait_for_async(lambda: emu.message(chat, shown.message_id).edits)

    assert command["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]
    assert shown.text == "Top story & more: read"
    assert shown.html == NEWS_HTML and shown.parse_mode == "HTML"
    assert shown.entities == (
        {"offset": 0, "length": 9, "type": "bold"},
        {"offset": 18, "length": 4, "type": "text_link", "url": "https://example.com/a"},
    )
    assert shown.buttons == [{"text": "Expand", "callback_data": "expand:1"}]
    assert [(a.chat_id, a.action) for a in emu.chat_actions] == [(chat.id, "typing")]
    [edit] = edited
    assert edit.text == "Full story for expand:1"
    assert edit.entities == ({"offset": 0, "length": 10, "type": "italic"},)
    assert edit.reply_markup is None  # editing without a markup removes the keyboard
    assert emu.message(chat, shown.message_id).versions[0].text == "Top story & more: read"
    assert emu.callback_answers == [CallbackAnswer(query_id, "Expanded", show_alert=False, url=None)]


async def test_a_sent_document_is_downloaded_by_the_bot(emu: BotApiEmulator) -> None:
    bob = emu.user(1002, "Bob")
    chat = emu.private_chat(bob)
    async with polling(emu):
        sent = emu.send_document(chat, bob, "notes.txt", b"hello file", caption="my notes")
        [reply] = await emu.wait_for_messages_async(chat, 1)
    assert sent["document"]["file_name"] == "notes.txt" and sent["document"]["file_size"] == 10
    assert sent["document"]["mime_type"] == "text/plain"
    assert reply.text == "notes.txt: 10 bytes: hello file"
    assert emu.downloads == ["documents/file_1.txt"]


async def test_a_pressed_button_must_exist(emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with bot_for(emu) as bot:
        message = await bot.send_message(chat.id, "pick", reply_markup=KEYBOARD)
    with pytest.raises(LookupError, match="no button 'nope'"):
        emu.press_button(chat, alice, message.message_id, "nope")


# ---- validation as Telegram does it -------------------------------------------------------------------


async def test_bad_html_and_long_texts_get_400s(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1001, "Alice"))
    async with bot_for(emu) as bot:
        with pytest.raises(
            BadRequest, match=r'(?i)can\'t parse entities: unsupported start tag "br" at byte'
        ):
            await bot.send_message(chat.id, "one<br>two", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match=r'(?i)find end tag corresponding to start tag "b"'):
            await bot.send_message(chat.id, "<b>unclosed", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(chat.id, "x" * 4097)
        with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
            await bot.send_message(chat.id, "<b> </b>", parse_mode=ParseMode.HTML)
        await bot.send_message(chat.id, "x" * 4096)
        bold = await bot.send_message(chat.id, "<b>" + "y" * 4096 + "</b>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text(
                "<b>" + "y" * 4096 + "</b>", chat.id, bold.message_id, parse_mode="HTML"
            )
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(999, "nobody here")

    assert [len(m.text) for m in emu.messages(chat)] == [4096, 4096]  # the limit is on the visible text
    assert emu.messages(chat)[1].entities == ({"offset": 0, "length": 4096, "type": "bold"},)
    failed = [(r.method, r.error_code) for r in emu.requests if r.error_code]
    assert failed == [("sendMessage", 400)] * 4 + [("editMessageText", 400), ("sendMessage", 400)]


async def test_commands_chat_info_deletion_and_scripted_faults(emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice", "alice")
    chat = emu.private_chat(alice)
    async with bot_for(emu) as bot:
        await bot.set_my_commands([BotCommand("ask", "Ask the archive"), BotCommand("help", "How to")])
        assert [c.command for c in await bot.get_my_commands()] == ["ask", "help"]
        with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
            await bot.set_my_commands([BotCommand("Not a command", "x")])
        info = await bot.get_chat(chat.id)
        assert (info.id, info.type, info.first_name, info.username) == (chat.id, "private", "Alice", "alice")
        sent = await bot.send_message(chat.id, "to be deleted")
        assert await bot.delete_message(chat.id, sent.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
            await bot.delete_message(chat.id, sent.message_id)
        emu.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
        with pytest.raises(RetryAfter):
            await bot.send_message(chat.id, "too fast")
        await bot.send_message(chat.id, "later")

    assert emu.commands() == [
        {"command": "ask", "description": "Ask the archive"},
        {"command": "help", "description": "How to"},
    ]
    assert [m.text for m in emu.messages(chat)] == ["later"]
    assert [m.deleted for m in emu.messages(chat, include_deleted=True)] == [True, False]


async def test_token_and_unknown_methods(emu: BotApiEmulator) -> None:
    with pytest.raises(InvalidToken):
        async with bot_for(emu, token="123456:wrong"):
            pass
    async with bot_for(emu) as bot:
        assert (await bot.get_me()).username == "newsbot_test_bot"
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendTelepathy")
    async with httpx.AsyncClient() as client:
        reply = await client.post(f"{emu.base_url}{TOKEN}/sendTelepathy", data={"chat_id": "1"})
    assert reply.status_code == 404
    assert reply.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_a_webhook_blocks_polling_until_deleted(emu: BotApiEmulator) -> None:
    async with bot_for(emu) as bot:
        await bot.set_webhook("https://bot.example.com/hook", secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == "https://bot.example.com/hook"
        with pytest.raises(Conflict, match=r"(?i)can't use getUpdates method while webhook is active"):
            await bot.get_updates(timeout=0)
        await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()
    assert emu.webhook is None


async def test_the_server_survives_its_own_errors(
    emu: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(params: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(emu, "_get_me", broken)
    chat = emu.private_chat(emu.user(1001, "Alice"))
    async with httpx.AsyncClient() as client:
        failed = await client.get(f"{emu.base_url}{TOKEN}/getMe")
        sent = await client.post(
            f"{emu.base_url}{TOKEN}/sendMessage", json={"chat_id": chat.id, "text": "still here"}
        )
    assert failed.status_code == 500
    assert failed.json() == {
        "ok": False,
        "error_code": 500,
        "description": "Internal Server Error: RuntimeError: boom",
    }
    assert sent.json()["result"]["text"] == "still here"
    assert emu.server_errors == ["getMe: RuntimeError: boom"]


# ---- getUpdates ---------------------------------------------------------------------------------------


async def test_long_polling_returns_as_soon_as_an_update_arrives(emu: BotApiEmulator) -> None:
    alice = emu.user(1001, "Alice")
    chat = emu.private_chat(alice)
    url = f"{emu.base_url}{TOKEN}/getUpdates"
    async with httpx.AsyncClient(timeout=10) as client:
        started = time.monotonic()
        poll = asyncio.create_task(client.post(url, data={"timeout": "5"}))
        await asyncio.sleep(0.2)
        emu.send_text(chat, alice, "ping")
        [update] = (await poll).json()["result"]
        waited = time.monotonic() - started

        assert update["message"]["text"] == "ping"
        assert waited < 2.5, f"a 5 s long poll answered after {waited:.2f} s, not when the update came"
        again = await client.post(url, json={"offset": 0, "timeout": 0})
        assert again.json()["result"] == [update]  # not confirmed yet
        confirmed = await client.post(url, json={"offset": update["update_id"] + 1, "timeout": 0})
        assert confirmed.json()["result"] == []
        assert emu.pending_updates == 0

        started = time.monotonic()
        empty = await client.get(url, params={"timeout": "1"})
        assert empty.json() == {"ok": True, "result": []}
        assert time.monotonic() - started >= 0.9  # it did wait out its timeout


async def test_a_newer_poll_ends_the_older_one_with_a_conflict(emu: BotApiEmulator) -> None:
    url = f"{emu.base_url}{TOKEN}/getUpdates"
    async with httpx.AsyncClient(timeout=10) as client:
        older = asyncio.create_task(client.post(url, data={"timeout": "5"}))
        await asyncio.sleep(0.2)
        newer = await client.post(url, data={"timeout": "0"})
        assert (await older).json()["error_code"] == 409
        assert newer.json() == {"ok": True, "result": []}


def test_group_privacy_mode_delivers_only_what_is_meant_for_the_bot() -> None:
    with BotApiEmulator(token=TOKEN, privacy_mode=True) as emu:
        alice = emu.user(1001, "Alice", "alice")
        group = emu.group_chat(-100200, "Newsroom")
        emu.send_text(group, alice, "just chatting")
        assert emu.pending_updates == 0
        command = emu.send_text(group, alice, "/ask@newsbot_test_bot who won?")
        mention = emu.send_text(group, alice, "😀 @newsbot_test_bot hi")
        emu.send_text(group, alice, "/ask@other_bot who won?")
        assert emu.pending_updates == 2
    assert command["entities"] == [{"type": "bot_command", "offset": 0, "length": 21}]
    assert mention["entities"] == [{"type": "mention", "offset": 3, "length": 17}]  # UTF-16 offsets
    assert mention["chat"] == {"id": -100200, "type": "group", "title": "Newsroom"}


# ---- sync use, waiting, logging -----------------------------------------------------------------------


def test_a_sync_test_runs_the_bot_in_a_thread(emu: BotApiEmulator) -> None:
    app = build_app(emu)
    loop = asyncio.new_event_loop()

    def run() -> None:
        asyncio.set_event_loop(loop)
        app.run_polling(poll_interval=0.0, timeout=1, stop_signals=None)

    thread = threading.Thread(target=run, name="bot-under-test")
    thread.start()
    try:
        alice = emu.user(1001, "Alice")
        chat = emu.private_chat(alice)
        emu.send_text(chat, alice, "from a sync test")
        [reply] = emu.wait_for_messages(chat, 1)
        assert reply.text == "from a sync test"
    finally:
        loop.call_soon_threadsafe(app.stop_running)
        thread.join(timeout=10)
    assert not thread.is_alive()


async def test_waiting_too_long_shows_what_the_bot_did(emu: BotApiEmulator) -> None:
    chat = emu.private_chat(emu.user(1001, "Alice"))
    async with bot_for(emu) as bot:
        await bot.send_message(chat.id, "the only message")
    with pytest.raises(
        AssertionError, match=r"(?s)recent bot messages:.*'the only message'.*sendMessage -> ok"
    ):
        await emu.wait_for_messages_async(chat, 2, timeout=0.2)
    with pytest.raises(RuntimeError, match="wait_for_async"):
        emu.wait_for(lambda: True)


async def test_the_token_never_reaches_logs_or_records(
    emu: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=bot_api.__name__)
    chat = emu.private_chat(emu.user(1001, "Alice"))
    async with bot_for(emu) as bot:
        await bot.send_message(chat.id, "hi")
    emulator_logs = [r.getMessage() for r in caplog.records if r.name == bot_api.__name__]
    assert any("sendMessage" in line for line in emulator_logs)
    assert TOKEN not in repr(emu.requests) + "\n".join(emulator_logs)


# ---- the HTML parser alone ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("a &lt;b&gt; &amp; &quot;c&quot; & d &nbsp;", 'a <b> & "c" & d &nbsp;', []),
        ("&#x1F600;<i>x</i>", "😀x", [{"offset": 2, "length": 1, "type": "italic"}]),
        ("  <b> padded </b>\n", "padded", [{"offset": 0, "length": 6, "type": "bold"}]),
        (
            '<pre><code class="language-python">print(1)</code></pre>',
            "print(1)",
            [{"offset": 0, "length": 8, "type": "pre", "language": "python"}],
        ),
        ('<span class="tg-spoiler">s</span>', "s", [{"offset": 0, "length": 1, "type": "spoiler"}]),
        (
            "<blockquote expandable>q</blockquote>",
            "q",
            [{"offset": 0, "length": 1, "type": "expandable_blockquote"}],
        ),
        ("<code><b>x</b></code>", "x", [{"offset": 0, "length": 1, "type": "code"}]),
        ('<a href="javascript:alert(1)">js</a>', "js", []),
    ],
)
def test_html_parses_to_visible_text_and_entities(
    html: str, text: str, entities: list[dict[str, Any]]
) -> None:
    assert parse_html(html) == (text, tuple(entities))


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("é<br/>", 'Unsupported start tag "br/" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<a href=https://x.org>l</a>", "Unexpected end of name token at byte offset 8"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_html_errors_are_worded_as_telegram_words_them(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as raised:
        parse_html(html)
    assert str(raised.value) == error
