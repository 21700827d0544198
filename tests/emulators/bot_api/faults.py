"""Errors and flood control, scripted by the test: the next calls of a method get an error answer."""

from __future__ import annotations

from .protocol import ApiError
from .state import EmulatorState


class Faults(EmulatorState):
    """Error answers the test scripts for the next calls of a method."""

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` get this error instead of their answer (nothing is done)."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        with self._lock:
            faults = self._faults.setdefault(method.lower(), [])
            faults += [ApiError(error_code, description, parameters) for _ in range(times)]

    def flood(self, times: int, *, retry_after: int = 1, method: str = "sendMessage") -> None:
        """Flood control as Telegram answers it: the next `times` calls of `method` get a 429 with
        `retry_after` seconds in `parameters`, and nothing is sent."""
        description = f"Too Many Requests: retry after {retry_after}"
        self.fail_next(method, 429, description, retry_after=retry_after, times=times)
