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

The package: `server` (the routes, the test's controls, the faults), `validation` (a request checked as
the service checks it), `completions` (pure functions from a request and the reply text to the service's
objects), `errors` (the error answers and their wording).
"""

from .server import OpenAIEmulator, RecordedRequest, ReplyFn

__all__ = ["OpenAIEmulator", "RecordedRequest", "ReplyFn"]
