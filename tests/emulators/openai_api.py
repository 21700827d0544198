"""A local peer of the OpenAI chat-completions API, for tests.

`OpenAIEmulator` serves `POST /v1/chat/completions`, `GET /v1/models` and `GET /v1/models/{id}` over real
HTTP on 127.0.0.1, from a background thread with its own event loop, so sync and async tests (and any
client: the `openai` SDK, `langchain_openai.ChatOpenAI`, plain httpx) talk to it as to the service. It
checks the API key and the request, and answers in the service's shapes: `chat.completion` objects,
Server-Sent Event streams of `chat.completion.chunk` ending in `data: [DONE]`, `{"error": {...}}` bodies.

The test decides what the assistant says and which faults come next:

    with OpenAIEmulator(api_key="test-key", model="emu-model") as emu:
        emu.reply_with(lambda messages: "Two sources agree [1][2].")
        llm = ChatOpenAI(base_url=emu.base_url, api_key="test-key", model="emu-model", max_retries=0)
        assert llm.invoke("Who won?").content == "Two sources agree [1][2]."
        assert emu.last_messages[-1] == {"role": "user", "content": "Who won?"}
        emu.fail_next(status=500)  # the next valid completion request gets a 500

Each request is recorded, then waits out `delay`, then has its key checked (other models than the one
served get a 404, as for a model the key cannot use), then is validated; only then does the next scripted
fault, if any, replace the answer. So faults are consumed by valid, authorised completion requests only.

Tokens are counted by a word-and-punctuation split, not tiktoken: the counts are deterministic and agree
with each other (streamed pieces, `max_tokens` cuts, `usage`), but they are not the service's numbers.
Not emulated: tool calls, logprobs, audio, structured outputs, the Responses API.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web

from tests.emulators.background import BackgroundServer

ReplyFn = Callable[[list[dict[str, Any]]], str]
_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_ROLES = ("system", "developer", "user", "assistant", "tool", "function")
_PART_TYPES = ("text", "image_url", "input_audio", "file", "refusal")
_DECIMAL_RANGES: dict[str, tuple[float, float | None]] = {
    "temperature": (0, 2),
    "top_p": (0, 1),
    "presence_penalty": (-2, 2),
    "frequency_penalty": (-2, 2),
}
_INTEGER_RANGES: dict[str, tuple[float, float | None]] = {
    "n": (1, 128),
    "max_tokens": (1, None),
    "max_completion_tokens": (1, None),
}
_TOKEN = re.compile(r"\s*\w+|\s*[^\w\s]|\s+")
_SSE_TYPE = "text/event-stream; charset=utf-8"
_HANG_UP_GRACE = 5.0  # seconds a hung-up handler waits to be cancelled by aiohttp
_DEFAULT_ERROR_MESSAGES = {
    429: "Rate limit reached for requests. Please try again later.",
    500: "The server had an error while processing your request. Sorry about that!",
    503: "The engine is currently overloaded, please try again later.",
}
_NO_KEY = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using "
    "Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
)
_BAD_JSON = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
    "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)"
)


class _ApiError(Exception):
    """An answer the service gives instead of a completion: an HTTP status and an OpenAI error body (or,
    from a gateway in front of the service, ``html``: a web page)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        html: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {"message": message, "type": _error_type(status), "param": param, "code": code}}
        self.html = html

    def response(self) -> web.Response:
        if self.html is not None:
            return web.Response(text=self.html, status=self.status, content_type="text/html")
        return web.json_response(self.body, status=self.status)


def _gateway_page(status: int, reason: str) -> str:
    """The page nginx serves for an error of its own, CRLF line ends and all."""
    title = f"{status} {reason}"
    lines = ["<html>", f"<head><title>{title}</title></head>", "<body>", f"<center><h1>{title}</h1></center>"]
    return "\r\n".join([*lines, "<hr><center>nginx/1.24.0</center>", "</body>", "</html>", ""])


def _error_type(status: int) -> str:
    if status == 429:
        return "requests"
    return "server_error" if status >= 500 else "invalid_request_error"


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
    error: _ApiError | None = None
    after_chunks: int = 0


# ---- validation: raise _ApiError worded as the service words it ---------------------------------------


def _json_type(value: Any) -> str:
    kinds = [(bool, "a boolean"), (int, "an integer"), (float, "a decimal"), (str, "a string")]
    kinds += [(list, "an array"), (dict, "an object")]
    return next((name for kind, name in kinds if isinstance(value, kind)), "null")


def _invalid_type(where: str, expected: str, value: Any) -> _ApiError:
    message = f"Invalid type for '{where}': expected {expected}, but got {_json_type(value)} instead."
    return _ApiError(400, message, param=where, code="invalid_type")


def _missing(where: str) -> _ApiError:
    return _ApiError(
        400, f"Missing required parameter: '{where}'.", param=where, code="missing_required_parameter"
    )


def _invalid_value(where: str, value: Any, allowed: tuple[str, ...]) -> _ApiError:
    listed = ", ".join(f"'{name}'" for name in allowed[:-1]) + f", and '{allowed[-1]}'"
    message = f"Invalid value: '{value}'. Supported values are: {listed}."
    return _ApiError(400, message, param=where, code="invalid_value")


def _check_number(
    body: dict[str, Any], name: str, low: float, high: float | None, integer: bool = False
) -> None:
    value = body.get(name)
    if value is None:
        return
    kind = "integer" if integer else "decimal"
    if isinstance(value, bool) or not isinstance(value, int if integer else int | float):
        raise _invalid_type(name, "an integer" if integer else "a decimal", value)
    if value < low:
        side, sign, limit, code = "below minimum", ">=", low, f"{kind}_below_min_value"
    elif high is not None and value > high:
        side, sign, limit, code = "above maximum", "<=", high, f"{kind}_above_max_value"
    else:
        return
    message = (
        f"Invalid '{name}': {kind} {side} value. Expected a value {sign} {limit}, but got {value} instead."
    )
    raise _ApiError(400, message, param=name, code=code)


def _validate_part(part: Any, where: str) -> None:
    if not isinstance(part, dict):
        raise _invalid_type(where, "an object", part)
    if "type" not in part:
        raise _missing(f"{where}.type")
    if part["type"] not in _PART_TYPES:
        raise _invalid_value(f"{where}.type", part["type"], _PART_TYPES)
    if part["type"] == "text" and not isinstance(part.get("text"), str):
        raise (
            _missing(f"{where}.text")
            if "text" not in part
            else _invalid_type(f"{where}.text", "a string", part["text"])
        )


def _validate_message(message: Any, where: str) -> None:
    if not isinstance(message, dict):
        raise _invalid_type(where, "an object", message)
    if "role" not in message:
        raise _missing(f"{where}.role")
    role = message["role"]
    if role not in _ROLES:
        raise _invalid_value(f"{where}.role", role, _ROLES)
    if role == "tool" and not message.get("tool_call_id"):
        raise _missing(f"{where}.tool_call_id")
    content = message.get("content")
    if content is None:
        if role == "assistant" and (message.get("tool_calls") or message.get("function_call")):
            return
        raise _missing(f"{where}.content")
    if isinstance(content, list):
        for index, part in enumerate(content):
            _validate_part(part, f"{where}.content[{index}]")
    elif not isinstance(content, str):
        raise _invalid_type(f"{where}.content", "one of a string or array of objects", content)


def _validate_messages(messages: Any) -> None:
    if not isinstance(messages, list):
        raise _invalid_type("messages", "an array", messages)
    if not messages:
        message = (
            "Invalid 'messages': empty array. "
            "Expected an array with minimum length 1, but got an empty array instead."
        )
        raise _ApiError(400, message, param="messages", code="empty_array")
    for index, message in enumerate(messages):
        _validate_message(message, f"messages[{index}]")


def _stop_sequences(body: dict[str, Any]) -> list[str]:
    stop = body.get("stop")
    if stop is None:
        return []
    stops = [stop] if isinstance(stop, str) else stop
    if not isinstance(stops, list) or not all(isinstance(item, str) for item in stops):
        raise _invalid_type("stop", "one of a string or array of strings", stop)
    if len(stops) > 4:
        message = (
            "Invalid 'stop': array too long. Expected an array with maximum length 4, "
            f"but got an array with length {len(stops)} instead."
        )
        raise _ApiError(400, message, param="stop", code="array_above_max_length")
    return stops


def _validate_chat(body: Any) -> None:
    """Raise the service's 400 for a request it would refuse; return quietly for a valid one."""
    if not isinstance(body, dict):
        raise _ApiError(400, _BAD_JSON)
    if not body.get("model"):
        raise _ApiError(400, "you must provide a model parameter", param="model")
    if "messages" not in body:
        raise _ApiError(400, "Missing required parameter: 'messages'.", param="messages")
    _validate_messages(body["messages"])
    for name, (low, high) in _DECIMAL_RANGES.items():
        _check_number(body, name, low, high)
    for name, (low, high) in _INTEGER_RANGES.items():
        _check_number(body, name, low, high, integer=True)
    if body.get("stream") is not None and not isinstance(body["stream"], bool):
        raise _invalid_type("stream", "a boolean", body["stream"])
    if body.get("stream_options") is not None and not body.get("stream"):
        message = "The 'stream_options' parameter is only allowed when 'stream' is enabled."
        raise _ApiError(400, message, param="stream_options", code="invalid_value")
    _stop_sequences(body)


# ---- answers: pure functions from the request and the reply text to the service's objects -------------


def _tokens(text: str) -> list[str]:
    """Split text into pieces that join back to it: each word or mark with the spaces before it."""
    return _TOKEN.findall(text)


def _message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if part.get("type") == "text")
    return content if isinstance(content, str) else ""


def _prompt_tokens(messages: list[dict[str, Any]]) -> int:
    return 3 + sum(4 + len(_tokens(_message_text(message))) for message in messages)


@dataclass(frozen=True)
class _Choice:
    pieces: tuple[str, ...]
    finish_reason: str

    @property
    def text(self) -> str:
        return "".join(self.pieces)


def _shape_choice(text: str, body: dict[str, Any]) -> _Choice:
    """Cut the reply at the first stop sequence, then at the token limit, as the model would stop."""
    cuts = [index for stop in _stop_sequences(body) if (index := text.find(stop)) >= 0]
    pieces = _tokens(text[: min(cuts)] if cuts else text)
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    if limit is not None and len(pieces) > limit:
        return _Choice(tuple(pieces[:limit]), "length")
    return _Choice(tuple(pieces), "stop")


def _usage(prompt_tokens: int, completion_tokens: int) -> dict[str, Any]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


@dataclass(frozen=True)
class _Completion:
    """One answer to one request, before it is rendered whole or as a stream."""

    id: str
    created: int
    model: str
    choices: tuple[_Choice, ...]
    prompt_tokens: int

    def usage(self) -> dict[str, Any]:
        return _usage(self.prompt_tokens, sum(len(choice.pieces) for choice in self.choices))

    def header(self, kind: str) -> dict[str, Any]:
        return {"id": self.id, "object": kind, "created": self.created, "model": self.model}

    def whole(self) -> dict[str, Any]:
        choices: list[dict[str, Any]] = [
            {
                "index": index,
                "message": {"role": "assistant", "content": choice.text, "refusal": None, "annotations": []},
                "logprobs": None,
                "finish_reason": choice.finish_reason,
            }
            for index, choice in enumerate(self.choices)
        ]
        body = self.header("chat.completion") | {"choices": choices, "usage": self.usage()}
        return body | {"service_tier": "default", "system_fingerprint": "fp_emulator"}

    def chunks(self, include_usage: bool) -> list[dict[str, Any]]:
        """The stream's chunks in order: per choice a role delta, one delta per token, a finish."""
        extra: dict[str, Any] = {"system_fingerprint": "fp_emulator"}
        extra |= {"usage": None} if include_usage else {}
        chunks = []
        for index, choice in enumerate(self.choices):
            steps: list[tuple[dict[str, Any], str | None]] = [({"role": "assistant", "content": ""}, None)]
            steps += [({"content": piece}, None) for piece in choice.pieces]
            steps.append(({}, choice.finish_reason))
            for delta, finish in steps:
                entry = {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}
                chunks.append(self.header("chat.completion.chunk") | extra | {"choices": [entry]})
        if include_usage:
            usage = {"choices": [], "usage": self.usage()}
            chunks.append(self.header("chat.completion.chunk") | extra | usage)
        return chunks


def _sse(data: dict[str, Any] | str) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return f"data: {text}\n\n".encode()


def _default_reply(messages: list[dict[str, Any]]) -> str:
    """A deterministic answer that shows what was asked: it quotes the last user message."""
    asked = next((_message_text(m) for m in reversed(messages) if m.get("role") == "user"), "")
    return f"Emulated answer to: {asked}"


# ---- the server ---------------------------------------------------------------------------------------


class OpenAIEmulator(BackgroundServer):
    """An OpenAI chat-completions server on 127.0.0.1 that the test scripts; see the module docstring."""

    name = "OpenAIEmulator"

    def __init__(self, api_key: str | None = "test-key", model: str = "emu-model") -> None:
        super().__init__()
        self.api_key = api_key  # None accepts any key, or none
        self.model = model
        self._lock = threading.Lock()
        self._reply: ReplyFn = _default_reply
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
        text = message or _DEFAULT_ERROR_MESSAGES.get(status, f"Emulated error {status}.")
        self._script(*[_Fault("error", _ApiError(status, text, code=code)) for _ in range(times)])

    def gateway_error_next(self, status: int = 401, reason: str = "Authorization Required") -> None:
        """Answer the next completion request as a gateway in front of the service does (nginx, an API
        gateway checking its own keys): `status` with an HTML page, not an OpenAI error body."""
        page = _gateway_page(status, reason)
        self._script(_Fault("error", _ApiError(status, reason, html=page)))

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
            self._reply = _default_reply
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
        except _ApiError as error:
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
            raise _ApiError(401, _NO_KEY)
        if key.strip() != self.api_key:
            shown = f"{key[:3]}{'*' * max(len(key) - 7, 0)}{key[-4:]}" if len(key) > 7 else key
            message = (
                f"Incorrect API key provided: {shown}. "
                "You can find your API key at https://platform.openai.com/account/api-keys."
            )
            raise _ApiError(401, message, code="invalid_api_key")

    async def _add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        with self._lock:
            number = next(self._request_ids)
        response.headers["x-request-id"] = f"req_emu{number:06d}"
        response.headers["openai-version"] = "2020-10-01"
        response.headers["openai-processing-ms"] = "1"

    def _model_or_404(self, model: str) -> None:
        if model != self.model:
            message = f"The model `{model}` does not exist or you do not have access to it."
            raise _ApiError(404, message, code="model_not_found")

    async def _list_models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [self._model_entry()]})

    async def _get_model(self, request: web.Request) -> web.Response:
        self._model_or_404(request.match_info["model"])
        return web.json_response(self._model_entry())

    def _model_entry(self) -> dict[str, Any]:
        return {"id": self.model, "object": "model", "created": 1_700_000_000, "owned_by": "emulator"}

    async def _unknown_url(self, request: web.Request) -> web.Response:
        raise _ApiError(404, f"Invalid URL ({request.method} {request.path})")

    async def _chat_completions(self, request: web.Request) -> web.StreamResponse:
        try:
            body = json.loads(await request.read())
        except ValueError:
            raise _ApiError(400, _BAD_JSON) from None
        _validate_chat(body)
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

    def _complete(self, body: dict[str, Any]) -> _Completion:
        with self._lock:
            reply, number = self._reply, next(self._ids)
        choices: list[_Choice] = []
        for _ in range(body.get("n") or 1):
            try:
                text = reply(copy.deepcopy(body["messages"]))
            except Exception as error:
                raise _ApiError(500, f"The emulator's reply function raised {error!r}") from error
            if not isinstance(text, str):
                raise _ApiError(500, f"The emulator's reply function returned {type(text).__name__}, not str")
            choices.append(_shape_choice(text, body))
        prompt_tokens = _prompt_tokens(body["messages"])
        return _Completion(
            f"chatcmpl-emu{number:06d}", int(time.time()), body["model"], tuple(choices), prompt_tokens
        )

    async def _send_whole(
        self, request: web.Request, completion: _Completion, fault: _Fault | None
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
        self, request: web.Request, completion: _Completion, body: dict[str, Any], fault: _Fault | None
    ) -> web.StreamResponse:
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        events = [_sse(chunk) for chunk in completion.chunks(include_usage)] + [_sse("[DONE]")]
        if fault is not None and fault.kind == "malformed":
            events.insert(1, _sse(json.dumps(completion.chunks(False)[1])[:40]))
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
