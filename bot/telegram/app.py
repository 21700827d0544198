"""Build the Telegram bot: the python-telegram-bot ``Application`` with newsbot's handlers, and run it.

    app = build_application(settings)          # handlers, filters, error handler, Bot API server
    run(settings)                              # long polling, or a webhook when NEWSBOT_WEBHOOK_URL is set

Updates are processed concurrently (one slow answer never holds up the others); the answering itself is
bounded by ``NEWSBOT_MAX_CONCURRENT_ANSWERS`` and runs in worker threads. Outgoing calls keep within
Telegram's flood limits (PTB's ``AIORateLimiter``), and a 429 is waited out (its ``retry_after``) and
the call retried, so nothing is lost and nothing is sent twice.

Stopping (Ctrl-C, SIGTERM) takes seconds whatever runs: before PTB's own ``stop`` (which waits for every
running job), :meth:`NewsbotApplication.stop` sets ``Services.stopping``, which the background work checks
between its units of work (an alert round between two articles or chats, a channel posts' or uploaded
ingestion between two model calls, a feed poll within its request), and waits for all of it together at
most :data:`STOP_WAIT` seconds before cancelling what is left; threads still busy then are daemons or end
on their own, and never hold the process.

The bot's state is one :class:`~bot.telegram.services.Services` in ``bot_data``, which handlers reach as
``context.services`` (PTB's ``ContextTypes``, :mod:`bot.telegram.context`); :func:`add_handlers` is the
one table of which update goes to which handler.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    InvalidCallbackData,
    MessageHandler,
    filters,
)

from bot.archive import Archive
from bot.logsafe import redact_in_logs
from bot.present.phrases import MENU, MENU_LANGUAGE_CODES, language
from bot.telegram.context import CONTEXT_TYPES
from bot.telegram.errors import on_error
from bot.telegram.guards import Handler
from bot.telegram.handlers import (
    about,
    admin,
    ask,
    buttons,
    channels,
    entities,
    feeds,
    follows,
    inline,
    search,
    story,
    timeline,
    uploads,
)
from bot.telegram.jobs.alerts import schedule_alerts
from bot.telegram.jobs.feed_rounds import schedule_feed_rounds
from bot.telegram.keyboards import (
    AllCopies,
    ExportCsv,
    Page,
    SearchFor,
    ShowPickup,
    ShowQuotes,
    TimelineOf,
    Unfollow,
    Vote,
    WhoOf,
)
from bot.telegram.persistence import BUTTONS_KEPT, BotState, bot_persistence
from bot.telegram.services import KEY, Services, services_of
from bot.wiring import open_store
from retrieval.errors import ConfigError, NewsbotError, StoreError, StoreFull, StoreUnavailable
from retrieval.settings import Settings

log = logging.getLogger("newsbot.bot")

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
    Update.CHANNEL_POST,  # bot.telegram.handlers.channels
    Update.EDITED_CHANNEL_POST,
]
FLOOD_RETRIES = 10
"""A call answered 429 is retried this many times in a row, each after its ``retry_after`` (PTB's
``AIORateLimiter(max_retries=…)``, whose default is none); only a message Telegram refuses once more is
lost. Bursts of 429s a couple of seconds apart met one message four times in the soak (#28, fault 7)."""
STOP_WAIT = 5.0
"""Seconds a stopping bot waits for its background work to end before cancelling it (the README promises
a stop within 10 s; PTB's own stop and the last state save take the rest)."""
ADMIN_ONLY_COMMANDS = ("reingest", "cancel", "feeds", "addfeed", "removefeed", "pollfeeds")
"""The commands of the menu only admins see."""


class NewsbotApplication(Application[Any, Any, Any, Any, Any, Any]):
    """PTB's ``Application``, whose ``stop`` first asks newsbot's background work to stop."""

    async def stop(self) -> None:
        await services_of(self.bot_data).stop_background_work(STOP_WAIT)
        await super().stop()


NewsbotApp = Application[Any, Any, Any, Any, Any, Any]


def command_menu(lang: str, *, admin: bool) -> list[BotCommand]:
    """The commands a user sees in the menu, described in ``lang`` ("en" or "ru")."""
    return [
        BotCommand(name, description)
        for name, description in MENU[lang].items()
        if admin or name not in ADMIN_ONLY_COMMANDS
    ]


USER_COMMANDS = command_menu("en", admin=False)
ADMIN_COMMANDS = command_menu("en", admin=True)


def file_base_url(base_url: str) -> str:
    """The file download base for an API base in PTB's form: ``…/bot`` -> ``…/file/bot``."""
    stripped = base_url.rstrip("/")
    if not stripped.endswith("/bot"):
        raise ConfigError(
            f"TELEGRAM_API_BASE_URL={base_url!r} must end in /bot, like https://api.telegram.org/bot"
        )
    return stripped.removesuffix("/bot") + "/file/bot"


def build_application(settings: Settings, *, archive: Archive | None = None) -> NewsbotApp:
    """The bot, ready to be started; needs ``TELEGRAM_BOT_TOKEN``. Nothing is contacted yet."""
    token = settings.telegram_bot_token
    if not token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather (see the README)")
    redact_in_logs(token)
    base_url = settings.telegram_api_base_url.rstrip("/")
    app = (
        ApplicationBuilder()
        .application_class(NewsbotApplication)
        .token(token)
        .base_url(base_url)
        .base_file_url(file_base_url(base_url))
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .context_types(CONTEXT_TYPES)  # handlers reach the bot's state as context.services
        .concurrent_updates(True)
        .rate_limiter(AIORateLimiter(max_retries=FLOOD_RETRIES))
        .arbitrary_callback_data(BUTTONS_KEPT)  # buttons carry bot.telegram.keyboards' records
        .persistence(bot_persistence(settings.bot_state_path))  # and keep working after a restart
        .post_init(prepare)
        .post_stop(finish)
        .build()
    )
    app.bot_data[KEY] = Services.build(settings, archive)
    add_handlers(app)
    schedule_feed_rounds(app.job_queue, settings.feed_interval)
    schedule_alerts(app.job_queue, settings.alert_interval)
    return app


def add_handlers(app: NewsbotApp) -> None:
    """Which update goes to which handler (the first that matches, in this order)."""
    messages = filters.UpdateType.MESSAGE
    commands: list[tuple[str | list[str], Handler]] = [
        (["start", "help"], about.on_help),
        ("ask", ask.on_ask),
        ("search", search.on_search),
        ("stats", about.on_stats),
        ("new", ask.on_new),
        ("timeline", timeline.on_timeline),
        ("who", entities.on_who),
        ("entities", entities.on_entities),
        ("reingest", admin.on_reingest),
        ("cancel", admin.on_cancel),
        ("follow", follows.on_follow),
        ("following", follows.on_following),
        ("unfollow", follows.on_unfollow),
        ("feeds", feeds.on_feeds),
        ("addfeed", feeds.on_addfeed),
        ("removefeed", feeds.on_removefeed),
        ("pollfeeds", feeds.on_pollfeeds),
    ]
    for names, handler in commands:
        app.add_handler(CommandHandler(names, handler, filters=messages))
    app.add_handler(MessageHandler(messages & filters.Document.ALL, uploads.on_document))
    mine = filters.ViaBot(bot_id=int(app.bot.token.split(":")[0]))  # an inline result of ours, posted
    app.add_handler(MessageHandler(messages & filters.TEXT & ~filters.COMMAND & ~mine, ask.on_text))
    app.add_handler(CallbackQueryHandler(buttons.on_quotes, pattern=ShowQuotes))
    app.add_handler(CallbackQueryHandler(buttons.on_vote, pattern=Vote))
    app.add_handler(CallbackQueryHandler(buttons.on_page, pattern=Page))
    app.add_handler(CallbackQueryHandler(buttons.on_all_copies, pattern=AllCopies))
    app.add_handler(CallbackQueryHandler(buttons.on_export, pattern=ExportCsv))
    app.add_handler(CallbackQueryHandler(follows.on_unfollow_button, pattern=Unfollow))
    app.add_handler(CallbackQueryHandler(story.on_pickup, pattern=ShowPickup))
    app.add_handler(CallbackQueryHandler(entities.on_who_button, pattern=WhoOf))
    app.add_handler(CallbackQueryHandler(entities.on_timeline_button, pattern=TimelineOf))
    app.add_handler(CallbackQueryHandler(entities.on_search_button, pattern=SearchFor))
    app.add_handler(CallbackQueryHandler(buttons.on_expired, pattern=InvalidCallbackData))
    app.add_handler(CallbackQueryHandler(buttons.on_expired))  # any other press is answered too
    app.add_handler(InlineQueryHandler(inline.on_inline_query))
    app.add_handler(MessageHandler(filters.UpdateType.CHANNEL_POSTS, channels.on_channel_post))
    app.add_error_handler(on_error)


async def prepare(app: NewsbotApp) -> None:
    """After ``initialize``: the command menus, and the model and index loaded before the first question."""
    services = services_of(app.bot_data)
    await set_command_menus(app, sorted(services.access.admin_ids))
    try:
        overview = await asyncio.to_thread(services.archive.warm)
        log.info("archive ready: %d articles, %d chunks", overview.articles, overview.chunks)
    except NewsbotError as exc:
        log.warning("the archive is not reachable yet (%s); the bot answers once it is", exc)


async def set_command_menus(app: NewsbotApp, admin_ids: list[int]) -> None:
    """The menu for everyone (the default scope) and, with the admin commands, for each admin's chat; in
    English by default and in Russian for the clients the bot answers in Russian. Failures are logged:
    menus are a nicety (an admin who never wrote to the bot has no chat to scope to, say)."""
    scopes: list[BotCommandScopeChat | None] = [None, *(BotCommandScopeChat(admin) for admin in admin_ids)]
    for scope in scopes:
        try:
            for code in MENU_LANGUAGE_CODES:
                commands = command_menu(language(code), admin=scope is not None)
                await app.bot.set_my_commands(commands, scope=scope, language_code=code or None)
        except TelegramError as exc:
            log.warning("could not set the command menu for %s: %s", scope.chat_id if scope else "all", exc)


async def finish(app: NewsbotApp) -> None:
    """After ``stop`` (which ended the background work, :meth:`Services.stop_background_work`): name the
    channel posts that were not ingested, and let the state file make its last saves."""
    services_of(app.bot_data).channels.report_unsaved()
    if isinstance(app.persistence, BotState):
        app.persistence.stopping()  # its last saves follow, after Telegram is closed


def webhook_secret(token: str) -> str:
    """A stable secret Telegram sends with each webhook call, derived from (and not revealing) the token."""
    return hashlib.sha256(f"newsbot-webhook:{token}".encode()).hexdigest()


def webhook_options(settings: Settings) -> dict[str, Any]:
    """How to serve by webhook: ``Application.run_webhook`` / ``Updater.start_webhook`` arguments."""
    url = settings.webhook_url or ""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlparse(url).path.strip("/"),
        "webhook_url": url,
        "secret_token": webhook_secret(settings.telegram_bot_token or ""),
        "allowed_updates": ALLOWED_UPDATES,
    }


def check_store(settings: Settings) -> None:
    """Reach the store once before serving: a store that refuses newsbot (a wrong or missing token, a
    tenant or database that does not exist) is a ConfigError (``newsbot serve`` exits 2 with its line),
    not a bot that runs and answers everyone "something went wrong". A store that cannot be reached yet
    is only logged: the bot starts, and answers once it is back."""
    try:
        open_store(settings).exists()
    except (StoreUnavailable, StoreFull) as exc:
        log.warning("the archive is not reachable yet (%s); serving anyway", exc)
    except StoreError as exc:  # it answered, and said no
        raise ConfigError(str(exc)) from None


def run(settings: Settings) -> None:
    """Serve until interrupted: long polling, or a webhook when ``NEWSBOT_WEBHOOK_URL`` is set."""
    app = build_application(settings)
    check_store(settings)
    if settings.webhook_url:
        options = webhook_options(settings)
        log.info(
            "serving by webhook at %s (on %s:%s)", settings.webhook_url, options["listen"], options["port"]
        )
        app.run_webhook(**options)
    else:
        log.info("serving by long polling %s", settings.telegram_api_base_url)
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
