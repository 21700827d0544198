"""Getting updates: `getUpdates` long polling (a newer poll ends an older one with a 409 Conflict),
`allowed_updates`, and the webhook methods (`setWebhook` is recorded; nothing is delivered to it)."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from .protocol import ApiError, Params, bad
from .state import DEFAULT_ALLOWED, EmulatorState


class Updates(EmulatorState):
    """How updates leave: long polling, or a webhook that is recorded."""

    @property
    def webhook(self) -> dict[str, Any] | None:
        with self._lock:
            return copy.deepcopy(self._webhook)

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by a getUpdates `offset`."""
        with self._lock:
            return len(self._updates)

    # -- Bot API methods

    def _set_webhook(self, params: Params) -> bool:
        url = params.text("url") or ""
        allowed = self._allowed_updates_param(params)
        with self._lock:
            if params.flag("drop_pending_updates"):
                self._updates.clear()
            if allowed is not None:
                self._allowed_updates = allowed
            self._webhook = None
            if url:
                self._webhook = {
                    "url": url,
                    "secret_token": params.text("secret_token"),
                    "max_connections": params.integer("max_connections", 40),
                    "allowed_updates": sorted(self._allowed_updates),
                    "ip_address": params.text("ip_address"),
                }
            self._notify()
        return True

    def _delete_webhook(self, params: Params) -> bool:
        with self._lock:
            self._webhook = None
            if params.flag("drop_pending_updates"):
                self._updates.clear()
            self._notify()
        return True

    def _get_webhook_info(self, params: Params) -> dict[str, Any]:
        with self._lock:
            info: dict[str, Any] = {"url": "", "has_custom_certificate": False}
            info["pending_update_count"] = len(self._updates)
            if self._webhook:
                info |= {
                    "url": self._webhook["url"],
                    "max_connections": self._webhook["max_connections"],
                    "allowed_updates": self._webhook["allowed_updates"],
                }
            return info

    def _allowed_updates_param(self, params: Params) -> frozenset[str] | None:
        allowed = params.json("allowed_updates")
        if allowed is None:
            return None
        if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
            raise bad("can't parse allowed_updates JSON object")
        return frozenset(allowed) or DEFAULT_ALLOWED

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        assert self._updates_changed is not None
        offset = params.integer("offset")
        limit = min(max(params.integer("limit", 100) or 100, 1), 100)
        timeout = max(params.number("timeout", 0.0), 0.0)
        allowed = self._allowed_updates_param(params)
        with self._lock:
            if self._webhook:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if allowed is not None:
                self._allowed_updates = allowed
            if offset:
                self._confirm(offset)
            self._poll_generation += 1
            generation = self._poll_generation
        self._updates_changed.set()  # an older long poll wakes up and ends with a Conflict
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._updates_changed.clear()
            with self._lock:
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; "
                        "make sure that only one bot instance is running",
                    )
                batch = copy.deepcopy(self._updates[:limit])
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self._stopping:
                return batch
            try:
                await asyncio.wait_for(self._updates_changed.wait(), remaining)
            except TimeoutError:
                continue

    def _confirm(self, offset: int) -> None:
        """Forget updates below a positive offset; a negative one keeps only the last -offset updates."""
        if offset < 0:
            del self._updates[:offset]
        else:
            self._updates = [update for update in self._updates if update["update_id"] >= offset]
        self._notify()
