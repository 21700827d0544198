"""The OpenAI emulator, driven by the real clients: langchain-openai's ChatOpenAI, the openai SDK, httpx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from langchain_openai import ChatOpenAI

from .openai_api import OpenAIEmulator

KEY = "test-key"
MODEL = "emu-model"
SYSTEM = "Answer from the cited news passages only."
QUESTION = "Who won the regional election in Tver?"
ANSWER = "Ivanova won with 54% of the vote [1], according to the final count [2]."


@pytest.fixture
def emu() -> Iterator[OpenAIEmulator]:
    with OpenAIEmulator(api_key=KEY, model=MODEL) as emulator:
        yield emulator


def chat(emu: OpenAIEmulator, **overrides: Any) -> ChatOpenAI:
    options: dict[str, Any] = {"api_key": KEY, "model": MODEL, "max_retries": 0, "timeout": 5.0}
    return ChatOpenAI(base_url=emu.base_url, **(options | overrides))


def sdk(emu: OpenAIEmulator, key: str = KEY) -> openai.OpenAI:
    return openai.OpenAI(base_url=emu.base_url, api_key=key, max_retries=0, timeout=5.0)


def post(emu: OpenAIEmulator, body: Any, key: str = KEY) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.post(f"{emu.base_url}/chat/completions", json=body, headers=headers, timeout=5.0)


def test_invoke_returns_the_scripted_text_and_the_emulator_sees_the_prompt(emu: OpenAIEmulator) -> None:
    seen: list[list[dict[str, Any]]] = []
    emu.reply_with(lambda messages: seen.append(messages) or ANSWER)

    reply = chat(emu).invoke([("system", SYSTEM), ("user", QUESTION)])

    assert reply.content == ANSWER
    assert reply.response_metadata["finish_reason"] == "stop"
    expected = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}]
    assert seen == [expected]
    assert emu.last_messages == expected
    (request,) = emu.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.body["model"] == MODEL
    assert request.headers["authorization"] == "[withheld]"
    assert KEY not in json.dumps(request.headers)


def test_default_reply_is_deterministic_and_quotes_the_question(emu: OpenAIEmulator) -> None:
    first = chat(emu).invoke(QUESTION).content
    second = chat(emu).invoke(QUESTION).content

    assert first == second == f"Emulated answer to: {QUESTION}"


def test_reply_text_and_usage_agree_with_the_token_split(emu: OpenAIEmulator) -> None:
    emu.reply_text("One, two three.")

    completion = sdk(emu).chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi"}])

    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-")
    assert completion.choices[0].message.content == "One, two three."
    assert completion.choices[0].logprobs is None
    assert completion.usage is not None
    assert completion.usage.completion_tokens == 5  # "One" "," " two" " three" "."
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + 5


def test_stream_yields_several_chunks_that_join_to_the_text(emu: OpenAIEmulator) -> None:
    emu.reply_text(ANSWER)

    chunks = list(chat(emu, stream_usage=True).stream([("system", SYSTEM), ("user", QUESTION)]))

    pieces = [chunk.content for chunk in chunks if chunk.content]
    assert len(pieces) >= 5
    assert "".join(pieces) == ANSWER
    usage = [chunk.usage_metadata for chunk in chunks if chunk.usage_metadata]
    assert len(usage) == 1
    assert usage[0]["output_tokens"] == len(pieces)
    assert emu.requests[-1].body["stream"] is True
    assert emu.requests[-1].body["stream_options"] == {"include_usage": True}
    assert [m["role"] for m in emu.last_messages] == ["system", "user"]


def test_raw_stream_is_server_sent_events_ending_in_done(emu: OpenAIEmulator) -> None:
    emu.reply_text("Short answer.")
    body = {"model": MODEL, "messages": [{"role": "user", "content": "?"}], "stream": True}
    headers = {"Authorization": f"Bearer {KEY}"}

    with httpx.stream("POST", f"{emu.base_url}/chat/completions", json=body, headers=headers) as response:
        text = response.read().decode()

    assert response.headers["content-type"].startswith("text/event-stream")
    events = [block.removeprefix("data: ") for block in text.split("\n\n") if block]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(event) for event in events[:-1]]
    assert {chunk["object"] for chunk in chunks} == {"chat.completion.chunk"}
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert "".join(c["choices"][0]["delta"].get("content", "") for c in chunks) == "Short answer."
    assert [c["choices"][0]["finish_reason"] for c in chunks][-2:] == [None, "stop"]
    assert all("usage" not in chunk for chunk in chunks)


async def test_async_clients_invoke_and_stream(emu: OpenAIEmulator) -> None:
    emu.reply_text(ANSWER)
    llm = chat(emu)

    reply = await llm.ainvoke([("system", SYSTEM), ("user", QUESTION)])
    pieces = [chunk.content async for chunk in llm.astream(QUESTION) if chunk.content]

    assert reply.content == ANSWER
    assert len(pieces) >= 5
    assert "".join(pieces) == ANSWER


def test_server_error_raises_internal_server_error_once(emu: OpenAIEmulator) -> None:
    emu.fail_next(status=500, message="The server had an error.")
    llm = chat(emu)

    with pytest.raises(openai.InternalServerError) as raised:
        llm.invoke(QUESTION)

    assert raised.value.status_code == 500
    assert raised.value.body == {
        "message": "The server had an error.",
        "type": "server_error",
        "param": None,
        "code": None,
    }
    assert llm.invoke(QUESTION).content == f"Emulated answer to: {QUESTION}"


def test_failures_are_retried_by_the_client_until_they_run_out(emu: OpenAIEmulator) -> None:
    emu.fail_next(status=503, times=1)
    emu.reply_text(ANSWER)

    reply = chat(emu, max_retries=1).invoke(QUESTION)

    assert reply.content == ANSWER
    assert [r.headers["x-stainless-retry-count"] for r in emu.requests] == ["0", "1"]


def test_rate_limit_raises_rate_limit_error(emu: OpenAIEmulator) -> None:
    emu.fail_next(status=429, code="rate_limit_exceeded")

    with pytest.raises(openai.RateLimitError) as raised:
        chat(emu).invoke(QUESTION)

    assert raised.value.code == "rate_limit_exceeded"


def test_wrong_key_raises_authentication_error(emu: OpenAIEmulator) -> None:
    with pytest.raises(openai.AuthenticationError) as raised:
        chat(emu, api_key="wrong-key-123").invoke(QUESTION)

    assert raised.value.status_code == 401
    assert raised.value.code == "invalid_api_key"
    assert "wrong-key-123" not in str(raised.value)  # the key is masked, as the service does


def test_missing_key_is_refused_and_no_key_is_needed_when_none_is_set() -> None:
    with OpenAIEmulator(api_key="secret") as guarded, OpenAIEmulator(api_key=None) as open_door:
        refused = httpx.post(f"{guarded.base_url}/chat/completions", json={})
        answered = post(open_door, {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}]}, "any")

    assert refused.status_code == 401
    assert refused.json()["error"]["message"].startswith("You didn't provide an API key.")
    assert answered.status_code == 200


def test_delay_beyond_the_timeout_raises_api_timeout_error(emu: OpenAIEmulator) -> None:
    emu.delay(5.0)

    with pytest.raises(openai.APITimeoutError):
        chat(emu, timeout=0.3).invoke(QUESTION)

    emu.delay(0)
    assert chat(emu).invoke(QUESTION).content == f"Emulated answer to: {QUESTION}"


def test_dropped_connection_raises_connection_error(emu: OpenAIEmulator) -> None:
    emu.drop_connection_next()

    with pytest.raises(openai.APIConnectionError) as raised:
        chat(emu).invoke(QUESTION)

    assert not isinstance(raised.value, openai.APITimeoutError)
    assert emu.last_messages == [{"role": "user", "content": QUESTION}]


def test_malformed_body_fails_to_parse(emu: OpenAIEmulator) -> None:
    emu.malformed_next()

    response = post(emu, {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}]})
    with pytest.raises(json.JSONDecodeError):
        response.json()
    emu.malformed_next()
    with pytest.raises(json.JSONDecodeError):
        chat(emu).invoke(QUESTION)

    assert response.status_code == 200


def test_broken_stream_delivers_a_prefix_then_fails(emu: OpenAIEmulator) -> None:
    emu.reply_text(ANSWER)
    emu.stream_break_next(after_chunks=4)
    received: list[str] = []

    with pytest.raises(openai.APIConnectionError):
        for chunk in chat(emu).stream(QUESTION):
            received.append(str(chunk.content))

    assert 0 < len("".join(received)) < len(ANSWER)
    assert ANSWER.startswith("".join(received))


def test_break_past_the_end_still_withholds_done_and_a_cut_body_fails(emu: OpenAIEmulator) -> None:
    emu.reply_text("Short.")
    emu.stream_break_next(after_chunks=100)
    received: list[str] = []

    with pytest.raises(openai.APIConnectionError):
        for chunk in chat(emu).stream(QUESTION):
            received.append(str(chunk.content))
    emu.stream_break_next()
    with pytest.raises(openai.APIConnectionError):
        chat(emu).invoke(QUESTION)

    assert "".join(received) == "Short."


@pytest.mark.parametrize(
    ("body", "param", "message"),
    [
        ({"messages": [{"role": "user", "content": "Hi"}]}, "model", "you must provide a model parameter"),
        ({"model": MODEL}, "messages", "Missing required parameter: 'messages'."),
        ({"model": MODEL, "messages": []}, "messages", "Invalid 'messages': empty array."),
        (
            {"model": MODEL, "messages": [{"role": "bot", "content": "Hi"}]},
            "messages[0].role",
            "Invalid value:",
        ),
        ({"model": MODEL, "messages": [{"role": "user"}]}, "messages[0].content", "Missing required"),
        (
            {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}], "temperature": 3},
            "temperature",
            "Invalid 'temperature': decimal above maximum value.",
        ),
        (
            {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}], "stream_options": {}},
            "stream_options",
            "The 'stream_options' parameter is only allowed",
        ),
    ],
)
def test_invalid_requests_get_the_services_400(
    emu: OpenAIEmulator, body: dict[str, Any], param: str, message: str
) -> None:
    emu.fail_next(status=500)  # a scripted fault waits for a valid request

    response = post(emu, body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["param"] == param
    assert error["message"].startswith(message)
    assert set(error) == {"message", "type", "param", "code"}
    assert post(emu, {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}]}).status_code == 500


def test_unknown_model_and_url_get_404(emu: OpenAIEmulator) -> None:
    with pytest.raises(openai.NotFoundError) as raised:
        chat(emu, model="gpt-4o").invoke(QUESTION)
    unknown = httpx.get(f"{emu.base_url}/chat/completions", headers={"Authorization": f"Bearer {KEY}"})

    assert raised.value.code == "model_not_found"
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "Invalid URL (GET /v1/chat/completions)"


def test_content_parts_max_tokens_stop_and_n(emu: OpenAIEmulator) -> None:
    emu.reply_text("Alpha beta gamma. Delta epsilon.")
    parts = [{"type": "text", "text": "Part one."}, {"type": "text", "text": "Part two."}]
    client = sdk(emu)

    cut = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": parts}], max_completion_tokens=2, n=2
    )
    stopped = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Hi"}], stop=[" Delta"]
    )

    assert [(c.index, c.message.content, c.finish_reason) for c in cut.choices] == [
        (0, "Alpha beta", "length"),
        (1, "Alpha beta", "length"),
    ]
    assert cut.usage is not None and cut.usage.completion_tokens == 4
    assert emu.requests[0].body["messages"][0]["content"] == parts
    assert stopped.choices[0].message.content == "Alpha beta gamma."
    assert stopped.choices[0].finish_reason == "stop"


def test_models_endpoint_lists_the_served_model(emu: OpenAIEmulator) -> None:
    client = sdk(emu)

    assert [model.id for model in client.models.list()] == [MODEL]
    assert client.models.retrieve(MODEL).owned_by == "emulator"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-4o")


def test_reply_function_errors_surface_as_server_errors(emu: OpenAIEmulator) -> None:
    def broken(messages: list[dict[str, Any]]) -> str:
        raise KeyError("no script for this question")

    emu.reply_with(broken)

    with pytest.raises(openai.InternalServerError, match="no script for this question"):
        chat(emu).invoke(QUESTION)


def test_reset_forgets_faults_delay_reply_and_requests(emu: OpenAIEmulator) -> None:
    emu.reply_text(ANSWER)
    emu.fail_next(times=3)
    emu.delay(5.0)

    emu.reset()

    assert emu.requests == []
    with pytest.raises(LookupError):
        _ = emu.last_messages
    assert chat(emu, timeout=2.0).invoke(QUESTION).content == f"Emulated answer to: {QUESTION}"


def test_base_url_needs_a_running_server() -> None:
    emulator = OpenAIEmulator()
    with pytest.raises(RuntimeError, match="not running"):
        _ = emulator.base_url

    with emulator:
        assert emulator.base_url.startswith("http://127.0.0.1:")
        assert emulator.base_url.endswith("/v1")
    emulator.stop()  # a second stop is harmless
