"""The protocol's plumbing: a request's parameters (form-urlencoded, multipart with uploads, or JSON),
read and typed as the API coerces them, and the error answer (`ApiError`: HTTP status, `error_code`,
`description` and `parameters`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str | None
    content: bytes


class ApiError(Exception):
    """An error answer: HTTP status, `error_code` and `description` as the API sends them."""

    def __init__(self, error_code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def response(self) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return web.json_response(body, status=self.error_code)


def bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


class Params:
    """A request's parameters, typed on access as the API coerces them."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload]) -> None:
        self.values = values
        self.uploads = uploads

    def logged(self) -> dict[str, Any]:
        summary = {name: {"upload": u.filename, "size": len(u.content)} for name, u in self.uploads.items()}
        return dict(self.values) | summary

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise bad(f'parameter "{name}" must be a string')

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad(f'parameter "{name}" must be a number') from None

    def number(self, name: str, default: float) -> float:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad(f'parameter "{name}" must be a number') from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def json(self, name: str, what: str | None = None) -> Any:
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad(f"can't parse {what or name} JSON object") from None


async def read_params(request: web.Request) -> Params:
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.content_type == "application/json" and request.can_read_body:
        try:
            body = await request.json()
        except ValueError:
            raise bad("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise bad("can't parse JSON object")
        values |= body
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                uploads[name] = Upload(value.filename, value.content_type, value.file.read())
            else:
                values[name] = value
    return Params(values, uploads)


def explicit_entities(params: Params, name: str) -> list[dict[str, Any]]:
    """Entities the bot passed itself (no parse_mode)."""
    entities = params.json(name) or []
    fields = ("type", "offset", "length", "url", "language", "user", "custom_emoji_id")
    checked = []
    for entity in entities if isinstance(entities, list) else [None]:
        if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
            raise bad(f"can't parse {name} JSON object")
        if not isinstance(entity.get("offset"), int) or not isinstance(entity.get("length"), int):
            raise bad(f"can't parse {name} JSON object")
        checked.append({key: entity[key] for key in fields if key in entity})
    return checked
