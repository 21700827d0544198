"""A chat-completions request checked as the service checks it: each refusal raises `ApiError` with the
service's status, message, `param` and `code`."""

from __future__ import annotations

from typing import Any

from .errors import BAD_JSON, ApiError

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


def _json_type(value: Any) -> str:
    kinds = [(bool, "a boolean"), (int, "an integer"), (float, "a decimal"), (str, "a string")]
    kinds += [(list, "an array"), (dict, "an object")]
    return next((name for kind, name in kinds if isinstance(value, kind)), "null")


def _invalid_type(where: str, expected: str, value: Any) -> ApiError:
    message = f"Invalid type for '{where}': expected {expected}, but got {_json_type(value)} instead."
    return ApiError(400, message, param=where, code="invalid_type")


def _missing(where: str) -> ApiError:
    return ApiError(
        400, f"Missing required parameter: '{where}'.", param=where, code="missing_required_parameter"
    )


def _invalid_value(where: str, value: Any, allowed: tuple[str, ...]) -> ApiError:
    listed = ", ".join(f"'{name}'" for name in allowed[:-1]) + f", and '{allowed[-1]}'"
    message = f"Invalid value: '{value}'. Supported values are: {listed}."
    return ApiError(400, message, param=where, code="invalid_value")


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
    raise ApiError(400, message, param=name, code=code)


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
        raise ApiError(400, message, param="messages", code="empty_array")
    for index, message in enumerate(messages):
        _validate_message(message, f"messages[{index}]")


def stop_sequences(body: dict[str, Any]) -> list[str]:
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
        raise ApiError(400, message, param="stop", code="array_above_max_length")
    return stops


def validate_chat(body: Any) -> None:
    """Raise the service's 400 for a request it would refuse; return quietly for a valid one."""
    if not isinstance(body, dict):
        raise ApiError(400, BAD_JSON)
    if not body.get("model"):
        raise ApiError(400, "you must provide a model parameter", param="model")
    if "messages" not in body:
        raise ApiError(400, "Missing required parameter: 'messages'.", param="messages")
    _validate_messages(body["messages"])
    for name, (low, high) in _DECIMAL_RANGES.items():
        _check_number(body, name, low, high)
    for name, (low, high) in _INTEGER_RANGES.items():
        _check_number(body, name, low, high, integer=True)
    if body.get("stream") is not None and not isinstance(body["stream"], bool):
        raise _invalid_type("stream", "a boolean", body["stream"])
    if body.get("stream_options") is not None and not body.get("stream"):
        message = "The 'stream_options' parameter is only allowed when 'stream' is enabled."
        raise ApiError(400, message, param="stream_options", code="invalid_value")
    stop_sequences(body)
