"""An aiohttp server on 127.0.0.1 running its own event loop in a background thread, for emulators."""

from __future__ import annotations

import asyncio
import socket
import threading
from types import TracebackType
from typing import Self


class BackgroundServer:
    """Start/stop plumbing: subclasses open their aiohttp app on the bound socket in :meth:`_open` and
    shut it in :meth:`_close`; ``start()`` returns once it listens (or raises why it could not)."""

    name = "emulator"

    def __init__(self) -> None:
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._startup_error: BaseException | None = None

    @property
    def root_url(self) -> str:
        if self._port is None:
            raise RuntimeError(f"{self.name} is not running: call start() or use it as a context manager")
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> Self:
        if self._thread is not None:
            raise RuntimeError(f"{self.name} is already running")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(sock, ready), name=self.name, daemon=True)
        self._thread.start()
        ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            self._thread = None
            raise RuntimeError(f"{self.name} could not start") from self._startup_error
        self._port = sock.getsockname()[1]
        return self

    def stop(self) -> None:
        """Close the server (see :meth:`_close`). Safe to call twice."""
        if self._thread is None or self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None
        self._port = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    async def _open(self, sock: socket.socket) -> None:
        raise NotImplementedError

    async def _close(self) -> None:
        raise NotImplementedError

    def _serve(self, sock: socket.socket, ready: threading.Event) -> None:
        assert self._loop is not None
        loop = self._loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._open(sock))
        except BaseException as error:
            self._startup_error = error
            sock.close()
            loop.close()
            return
        finally:
            ready.set()
        loop.run_forever()
        loop.close()
