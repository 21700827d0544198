"""Answers, as pure functions from the request and the reply text to the service's objects: the choices
cut at stop sequences and token limits, the `chat.completion` body, the stream's chunks as Server-Sent
Events, the token counts (a word-and-punctuation split, deterministic, not tiktoken's)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .validation import stop_sequences

_TOKEN = re.compile(r"\s*\w+|\s*[^\w\s]|\s+")


def _tokens(text: str) -> list[str]:
    """Split text into pieces that join back to it: each word or mark with the spaces before it."""
    return _TOKEN.findall(text)


def _message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if part.get("type") == "text")
    return content if isinstance(content, str) else ""


def count_prompt_tokens(messages: list[dict[str, Any]]) -> int:
    return 3 + sum(4 + len(_tokens(_message_text(message))) for message in messages)


@dataclass(frozen=True)
class Choice:
    pieces: tuple[str, ...]
    finish_reason: str

    @property
    def text(self) -> str:
        return "".join(self.pieces)


def shape_choice(text: str, body: dict[str, Any]) -> Choice:
    """Cut the reply at the first stop sequence, then at the token limit, as the model would stop."""
    cuts = [index for stop in stop_sequences(body) if (index := text.find(stop)) >= 0]
    pieces = _tokens(text[: min(cuts)] if cuts else text)
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    if limit is not None and len(pieces) > limit:
        return Choice(tuple(pieces[:limit]), "length")
    return Choice(tuple(pieces), "stop")


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
class Completion:
    """One answer to one request, before it is rendered whole or as a stream."""

    id: str
    created: int
    model: str
    choices: tuple[Choice, ...]
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


def sse_event(data: dict[str, Any] | str) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return f"data: {text}\n\n".encode()


def default_reply(messages: list[dict[str, Any]]) -> str:
    """A deterministic answer that shows what was asked: it quotes the last user message."""
    asked = next((_message_text(m) for m in reversed(messages) if m.get("role") == "user"), "")
    return f"Emulated answer to: {asked}"
