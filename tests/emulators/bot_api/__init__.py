"""A local peer of the Telegram Bot API, for end-to-end tests.

`BotApiEmulator` speaks the Bot API HTTP protocol (https://core.telegram.org/bots/api) on a free loopback
port, from a background thread with its own event loop, closely enough that the real python-telegram-bot
`Application` runs against it unchanged. The test plays the Telegram users and watches what the bot did:

    with BotApiEmulator() as emu:
        app = (
            Application.builder().token(emu.token)
            .base_url(emu.base_url).base_file_url(emu.base_file_url).build()
        )
        ...  # start polling (see tests/emulators/test_bot_api_emulator.py)
        alice = emu.user(1, "Alice", "alice")
        emu.send_text(emu.private_chat(alice), alice, "/start")
        [reply] = await emu.wait_for_messages_async(alice.id, 1)
        assert reply.text == "Hello!"  # what Alice sees; reply.html is what the bot sent

Every test-side method is thread-safe. The blocking waiters (`wait_for`, `wait_for_messages`) refuse to
run inside an event loop, since they would stall the loop the bot answers on; async tests use the
`*_async` twins.

Requests arrive as PTB sends them (form-urlencoded, or multipart with uploads; non-string values
JSON-encoded) or as a JSON body. Answers are `{"ok": true, "result": ...}` or the API's error body:

    400 Bad Request: ...   bad parameters, HTML that does not parse, text too long, message not modified
    401 Unauthorized       another token
    404 Not Found          unknown method or file
    409 Conflict: ...      getUpdates while a webhook is set, or superseded by a newer getUpdates
    500 Internal Server Error: ...   a bug in the emulator (logged, kept in `server_errors`); it keeps serving

HTML follows tdlib's parser, the one behind the real API: the same tags, attribute rules, entity decoding
(`&lt;` `&gt;` `&amp;` `&quot;` and numeric references; any other `&` stays literal) and error wording;
entity offsets are in UTF-16 code units; texts are trimmed of surrounding whitespace; the length limits
apply to the visible text. Only `message`, `callback_query` and, with `inline_mode=True`, `inline_query`
updates are produced (`chosen_inline_result` too with `inline_feedback=True`), and `channel_post` /
`edited_channel_post` for channels the bot administers (`channel_chat`, `post_to_channel`,
`edit_channel_post`: `sender_chat` is the channel, no `from`, an edit carries `edit_date`); inline
answers take article results with text content. Not emulated: Markdown parse modes (refused with a 400
so nothing passes unchecked), webhook delivery (`setWebhook` is recorded), media other than documents
and photos. Rate limits are scripted: `flood(k)` answers the next k `sendMessage` calls with Telegram's
429 (`retry_after` in `parameters`), sending nothing, and `fail_next` scripts any other error.

`sendPhoto` takes an upload, a known `file_id` or an http(s) URL (fetched as Telegram fetches it) and
answers with the `PhotoSize` array Telegram makes: 90, 320, 800, 1280 and 2560 pixels on the longer side,
up to the image's own size. Nothing is resized or re-encoded: every size's file holds the bytes sent,
which `file_content(file_id)` returns to the test.

The package, one module a job (the sections that implement API methods follow Telegram's docs):

    server       the HTTP routes and dispatch; `BotApiEmulator` joins the sections below
    state        what the emulated Telegram holds, behind one lock, and what every section shares
    chats        people and chats; getChat, sendChatAction
    messages     what users send; sendMessage
    files        documents and photos; sendDocument, sendPhoto, getFile, the download URL
    channels     channel posts and their edits
    editing      editMessageText, editMessageReplyMarkup, deleteMessage
    buttons      inline keyboards and callback queries; answerCallbackQuery
    inline       inline queries; answerInlineQuery
    updates      getUpdates and the webhook methods
    bot_account  getMe and the command lists
    faults       scripted errors and flood control
    observing    what the test reads of the bot's doings, and the waiters
    formatting   HTML as tdlib parses it; entities in UTF-16 code units
    protocol     a request's parameters; the error answer
    records      the records the test reads
    limits       the API's limits
"""

from .formatting import EntityParseError, parse_html, utf16_len
from .limits import (
    MAX_CAPTION,
    MAX_DOWNLOAD,
    MAX_INLINE_QUERY,
    MAX_INLINE_RESULTS,
    MAX_PHOTO_URL_BYTES,
    MAX_TEXT,
    PHOTO_SIDES,
)
from .records import (
    ApiRequest,
    CallbackAnswer,
    Chat,
    ChatAction,
    InlineAnswer,
    MessageVersion,
    SentMessage,
    User,
)
from .server import BotApiEmulator

__all__ = [
    "MAX_CAPTION",
    "MAX_DOWNLOAD",
    "MAX_INLINE_QUERY",
    "MAX_INLINE_RESULTS",
    "MAX_PHOTO_URL_BYTES",
    "MAX_TEXT",
    "PHOTO_SIDES",
    "ApiRequest",
    "BotApiEmulator",
    "CallbackAnswer",
    "Chat",
    "ChatAction",
    "EntityParseError",
    "InlineAnswer",
    "MessageVersion",
    "SentMessage",
    "User",
    "parse_html",
    "utf16_len",
]
