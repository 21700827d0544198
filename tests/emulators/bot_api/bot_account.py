"""The bot's own account: `getMe` and its command lists (`setMyCommands`, `getMyCommands`,
`deleteMyCommands`, one list per scope and language)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from .protocol import Params, bad
from .state import EmulatorState

_BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}", re.ASCII)


class BotAccount(EmulatorState):
    """The bot's own user and its command lists."""

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, str]]:
        with self._lock:
            return copy.deepcopy(self._commands.get(_commands_key(scope, language_code), []))

    # -- Bot API methods

    def _get_me(self, params: Params) -> dict[str, Any]:
        return self.bot.to_json() | {
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": self.inline_mode,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _set_my_commands(self, params: Params) -> bool:
        commands = params.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad("can't parse commands JSON object")
        checked = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad("can't parse commands JSON object")
            name, description = command.get("command"), command.get("description")
            if not isinstance(name, str) or not _BOT_COMMAND_RE.fullmatch(name.lower()):
                raise bad("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
            checked.append({"command": name.lower(), "description": description.strip()})
        key = _commands_key(params.json("scope"), params.text("language_code") or "")
        with self._lock:
            self._commands[key] = checked
            self._notify()
        return True

    def _get_my_commands(self, params: Params) -> list[dict[str, str]]:
        key = _commands_key(params.json("scope"), params.text("language_code") or "")
        with self._lock:
            return copy.deepcopy(self._commands.get(key, []))

    def _delete_my_commands(self, params: Params) -> bool:
        key = _commands_key(params.json("scope"), params.text("language_code") or "")
        with self._lock:
            self._commands.pop(key, None)
            self._notify()
        return True


def _commands_key(scope: Any, language_code: str) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code
