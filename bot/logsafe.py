"""Keep secrets out of the log: the bot token travels in every Bot API URL that httpx and PTB log.

``redact_in_logs(token)`` installs a log-record factory, once per process, that replaces each registered
secret in the message, its arguments' rendering and the formatted traceback, whatever logger or handler
the record goes to (handlers added later included). Matching ignores case (PTB capitalises error
messages, which lowercases a token quoted in them), and a token's secret half is redacted on its own too.
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from typing import Any

REDACTED = "<redacted>"

_lock = threading.Lock()
_secrets: set[str] = set()  # guarded by _lock
_pattern: re.Pattern[str] | None = None
_installed = False


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``<redacted>``."""
    return _pattern.sub(REDACTED, text) if _pattern is not None else text


def _make_factory(previous: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = previous(*args, **kwargs)
        if _pattern is None:
            return record
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: leave it to the handler to report
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record

    return factory


def redact_in_logs(secret: str | None) -> None:
    """Never let ``secret`` reach a log record (no-op for an empty secret)."""
    global _installed, _pattern
    if not secret:
        return
    with _lock:
        _secrets.add(secret)
        if len(secret.partition(":")[2]) >= 8:  # the bot id before the colon is public
            _secrets.add(secret.partition(":")[2])
        alternatives = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(s) for s in alternatives), re.IGNORECASE)
        if not _installed:
            logging.setLogRecordFactory(_make_factory(logging.getLogRecordFactory()))
            _installed = True
