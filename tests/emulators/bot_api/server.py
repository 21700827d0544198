"""The HTTP server: the Bot API's routes, each call dispatched to its method, recorded and answered as
`{"ok": true, "result": ...}` or the API's error body; `BotApiEmulator` joins the sections of the API.

An API method is a method of its section named in `_METHODS`: it takes the request's `Params` and returns
the `result`, or raises `ApiError`."""

from __future__ import annotations

import asyncio
import inspect
import socket

from aiohttp import web

from .bot_account import BotAccount
from .buttons import Buttons
from .channels import Channels
from .editing import Editing
from .faults import Faults
from .inline import Inline
from .observing import Observing
from .protocol import ApiError, Params, read_params
from .records import ApiRequest
from .state import LOG
from .updates import Updates


class BotApiEmulator(Channels, Editing, Inline, Buttons, Updates, BotAccount, Faults, Observing):
    """A Telegram Bot API server on 127.0.0.1 that tests drive as users; see the package docstring."""

    name = "BotApiEmulator"

    @property
    def url(self) -> str:
        return self.root_url

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder.base_url`: PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder.base_file_url`."""
        return f"{self.url}/file/bot"

    async def _open(self, sock: socket.socket) -> None:
        self._updates_changed = asyncio.Event()
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        app.router.add_route("*", "/{path:.*}", self._handle_unknown)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def _close(self) -> None:
        assert self._runner is not None and self._updates_changed is not None
        self._stopping = True
        self._updates_changed.set()
        await self._runner.cleanup()

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        return ApiError(404, "Not Found").response()

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        method = request.match_info["method"]
        handler_name = _METHODS.get(method.lower())
        params = Params({}, {})
        try:
            params = await read_params(request)
            if handler_name is None:
                raise ApiError(404, "Not Found")
            with self._lock:
                faults = self._faults.get(method.lower())
                if faults:
                    raise faults.pop(0)
            result = getattr(self, handler_name)(params)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as error:
            self._record(method, params, error.error_code, error.description)
            return error.response()
        except Exception as error:
            LOG.exception("Bot API emulator failed in %s", method)
            description = f"Internal Server Error: {type(error).__name__}: {error}"
            with self._lock:
                self._server_errors.append(f"{method}: {type(error).__name__}: {error}")
            self._record(method, params, 500, description)
            return ApiError(500, description).response()
        self._record(method, params, None, None)
        return web.json_response({"ok": True, "result": result})

    def _record(self, method: str, params: Params, error_code: int | None, description: str | None) -> None:
        LOG.debug("%s -> %s", method, error_code or "ok")
        with self._lock:
            self._requests.append(ApiRequest(method, params.logged(), error_code, description))
            self._notify()


_METHODS = {
    name.lower(): handler
    for name, handler in {
        "getMe": "_get_me",
        "getChat": "_get_chat",
        "setWebhook": "_set_webhook",
        "deleteWebhook": "_delete_webhook",
        "getWebhookInfo": "_get_webhook_info",
        "getUpdates": "_get_updates",
        "sendMessage": "_send_message",
        "sendDocument": "_send_document",
        "sendPhoto": "_send_photo",
        "editMessageText": "_edit_message_text",
        "editMessageReplyMarkup": "_edit_message_reply_markup",
        "deleteMessage": "_delete_message",
        "sendChatAction": "_send_chat_action",
        "answerCallbackQuery": "_answer_callback_query",
        "answerInlineQuery": "_answer_inline_query",
        "getFile": "_get_file",
        "setMyCommands": "_set_my_commands",
        "getMyCommands": "_get_my_commands",
        "deleteMyCommands": "_delete_my_commands",
    }.items()
}  # Bot API method names are case-insensitive
