"""The server: the routes (`POST /v1/chat/completions`, `GET /v1/models`, `GET /v1/models/{id}`), the
test's controls (the reply, scripted faults, a delay) and what it observes (the recorded requests)."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web

from tests.emulators.background import BackgroundServer

from .completions import Choice, Completion, count_prompt_tokens, default_reply, shape_choice, sse_event
from .errors import BAD_JSON, DEFAULT_ERROR_MESSAGES, NO_KEY, ApiError, gateway_page
from .validation import validate_chat

ReplyFn = Callable[[list[dict[str, Any]]], str]
_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_SSE_TYPE = "text/event-stream; charset=utf-8"
_HANG_UP_GRACE = 5.0  # seconds a hung-up handler waits to be cancelled by aiohttp


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received. Header names are lower-case; the Authorization value is withheld."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the parsed JSON body; None when there was none or it was not JSON


@dataclass(frozen=True)
class _Fault:
    kind: Literal["error", "drop", "malformed", "stream_break"]
    error: ApiError | None = None
    after_chunks: int = 0


class OpenAIEmulator(BackgroundServer):
    """An OpenAI chat-completions server on 127.0.0.1 that the test scripts; see the package docstring."""

    name = "OpenAIEmulator"

    def __init__(self, api_key: str | None = "test-key", model: str = "emu-model") -> None:
        super().__init__()
        self.api_key = api_key  # None accepts any key, or none
        self.model = model
        self._lock = threading.Lock()
        self._reply: ReplyFn = default_reply
        self._faults: deque[_Fault] = deque()
        self._delay = 0.0
        self._requests: list[RecordedRequest] = []
        self._ids = itertools.count(1)  # completion ids
        self._request_ids = itertools.count(1)  # x-request-id values
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None

    # -- lifecycle

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    async def _open(self, sock: socket.socket) -> None:
        self._closing = asyncio.Event()
        app = web.Application(middlewares=[self._protocol])
        app.router.add_post("/v1/chat/completions", self._chat_completions)
        app.router.add_get("/v1/models", self._list_models)
        app.router.add_get("/v1/models/{model}", self._get_model)
        app.router.add_route("*", "/{path:.*}", self._unknown_url)
        app.on_response_prepare.append(self._add_headers)
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def _close(self) -> None:
        assert self._closing is not None and self._runner is not None
        self._closing.set()
        await self._runner.cleanup()

    # -- test-side control (thread-safe)

    def reply_with(self, fn: ReplyFn) -> None:
        """Let `fn(messages)` write the assistant's text; called once per choice, on the server thread."""
        with self._lock:
            self._reply = fn

    def reply_text(self, text: str) -> None:
        self.reply_with(lambda messages: text)

    def fail_next(
        self, status: int = 500, message: str | None = None, times: int = 1, code: str | None = None
    ) -> None:
        """Answer the next `times` completion requests with `status` and an OpenAI error body."""
        if not 400 <= status <= 599:
            raise ValueError(f"fail_next needs an error status (400-599), got {status}")
        text = message or DEFAULT_ERROR_MESSAGES.get(status, f"Emulated error {status}.")
        self._script(*[_Fault("error", ApiError(status, text, code=code)) for _ in range(times)])

    def gateway_error_next(self, status: int = 401, reason: str = "Authorization Required") -> None:
        """Answer the next completion request as a gateway in front of the service does (nginx, an API
        gateway checking its own keys): `status` with an HTML page, not an OpenAI error body."""
        page = gateway_page(status, reason)
        self._script(_Fault("error", ApiError(status, reason, html=page)))

    def delay(self, seconds: float) -> None:
        """Wait `seconds` before answering every request from now on; `delay(0)` ends it."""
        with self._lock:
            self._delay = seconds

    def drop_connection_next(self) -> None:
        """Close the socket of the next completion request without sending any response."""
        self._script(_Fault("drop"))

    def malformed_next(self) -> None:
        """Answer the next completion request with a 200 whose JSON (or stream event) is cut short."""
        self._script(_Fault("malformed"))

    def stream_break_next(self, after_chunks: int = 3) -> None:
        """Cut the next completion's connection after `after_chunks` events: no finish, no [DONE].

        A non-streaming request gets the first half of its body, then the cut.
        """
        self._script(_Fault("stream_break", after_chunks=after_chunks))

    def reset(self) -> None:
        """Forget scripted faults, the delay, the reply function and the recorded requests."""
        with self._lock:
            self._faults.clear()
            self._delay = 0.0
            self._reply = default_reply
            self._requests.clear()

    def _script(self, *faults: _Fault) -> None:
        with self._lock:
            self._faults.extend(faults)

    # -- observation

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def last_messages(self) -> list[dict[str, Any]]:
        """The `messages` of the latest chat-completions request."""
        for request in reversed(self.requests):
            if request.path == "/v1/chat/completions" and isinstance(request.body, dict):
                return copy.deepcopy(request.body.get("messages", []))
        raise LookupError("the emulator has received no chat-completions request yet")

    # -- protocol

    @web.middleware
    async def _protocol(self, request: web.Request, handler: _Handler) -> web.StreamResponse:
        await self._record(request)
        with self._lock:
            delay = self._delay
        if delay > 0:
            await self._pause(delay)
        try:
            self._authorize(request)
            return await handler(request)
        except ApiError as error:
            return error.response()

    async def _record(self, request: web.Request) -> None:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        headers = {name.lower(): value for name, value in request.headers.items()}
        if "authorization" in headers:
            headers["authorization"] = "[withheld]"
        with self._lock:
            self._requests.append(RecordedRequest(request.method, request.path, headers, body))

    async def _pause(self, seconds: float) -> None:
        assert self._closing is not None
        try:
            await asyncio.wait_for(self._closing.wait(), timeout=seconds)
        except TimeoutError:
            return

    def _authorize(self, request: web.Request) -> None:
        if self.api_key is None:
            return
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise ApiError(401, NO_KEY)
        if key.strip() != self.api_key:
            shown = f"{key[:3]}{'*' * max(len(key) - 7, 0)}{key[-4:]}" if len(key) > 7 else key
            message = (
                f"Incorrect API key provided: {shown}. "
                "You can find your API key at https://platform.openai.com/account/api-keys."
            )
            raise ApiError(401, message, code="invalid_api_key")

    async def _add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        with self._lock:
            number = next(self._request_ids)
        response.headers["x-request-id"] = f"req_emu{number:06d}"
        response.headers["openai-version"] = "2020-10-01"
        response.headers["openai-processing-ms"] = "1"

    def _model_or_404(self, model: str) -> None:
        if model != self.model:
            message = f"The model `{model}` does not exist or you do not have access to it."
            raise ApiError(404, message, code="model_not_found")

    async def _list_models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [self._model_entry()]})

    async def _get_model(self, request: web.Request) -> web.Response:
        self._model_or_404(request.match_info["model"])
        return web.json_response(self._model_entry())

    def _model_entry(self) -> dict[str, Any]:
        return {"id": self.model, "object": "model", "created": 1_700_000_000, "owned_by": "emulator"}

    async def _unknown_url(self, request: web.Request) -> web.Response:
        raise ApiError(404, f"Invalid URL ({request.method} {request.path})")

    async def _chat_completions(self, request: web.Request) -> web.StreamResponse:
        try:
            body = json.loads(await request.read())
        except ValueError:
            raise ApiError(400, BAD_JSON) from None
        validate_chat(body)
        self._model_or_404(body["model"])
        with self._lock:
            fault = self._faults.popleft() if self._faults else None
        if fault is not None and fault.error is not None:
            raise fault.error
        if fault is not None and fault.kind == "drop":
            return await self._hang_up(request)
        completion = self._complete(body)
        if body.get("stream"):
            return await self._send_stream(request, completion, body, fault)
        return await self._send_whole(request, completion, fault)

    def _complete(self, body: dict[str, Any]) -> Completion:
        with self._lock:
            reply, number = self._reply, next(self._ids)
        choices: list[Choice] = []
        for _ in range(body.get("n") or 1):
            try:
                text = reply(copy.deepcopy(body["messages"]))
            except Exception as error:
                raise ApiError(500, f"The emulator's reply function raised {error!r}") from error
            if not isinstance(text, str):
                raise ApiError(500, f"The emulator's reply function returned {type(text).__name__}, not str")
            choices.append(shape_choice(text, body))
        prompt_tokens = count_prompt_tokens(body["messages"])
        return Completion(
            f"chatcmpl-emu{number:06d}", int(time.time()), body["model"], tuple(choices), prompt_tokens
        )

    async def _send_whole(
        self, request: web.Request, completion: Completion, fault: _Fault | None
    ) -> web.StreamResponse:
        data = json.dumps(completion.whole()).encode()
        if fault is None:
            return web.Response(body=data, content_type="application/json")
        if fault.kind == "malformed":
            return web.Response(body=data[: len(data) // 2], content_type="application/json")
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = len(data)
        await response.prepare(request)
        await response.write(data[: len(data) // 2])
        return await self._hang_up(request)

    async def _send_stream(
        self, request: web.Request, completion: Completion, body: dict[str, Any], fault: _Fault | None
    ) -> web.StreamResponse:
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = [sse_event(chunk) for chunk in completion.chunks(include_usage)] + [sse_event("[DONE]")]
        if fault is not None and fault.kind == "malformed":
            events.insert(1, sse_event(json.dumps(completion.chunks(False)[1])[:40]))
        response = web.StreamResponse(headers={"Content-Type": _SSE_TYPE, "Cache-Control": "no-cache"})
        await response.prepare(request)
        cut = min(fault.after_chunks, len(events) - 1) if fault and fault.kind == "stream_break" else None
        for sent, event in enumerate(events):
            if sent == cut:
                return await self._hang_up(request)
            await response.write(event)
        await response.write_eof()
        return response

    async def _hang_up(self, request: web.Request) -> web.StreamResponse:
        """Close the socket mid-exchange; aiohttp then cancels this handler (handler_cancellation)."""
        if request.transport is not None:
            request.transport.close()
        await asyncio.sleep(_HANG_UP_GRACE)
        raise ConnectionResetError("the emulator hung up, but the handler was not cancelled")
