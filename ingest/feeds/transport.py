"""The connections under :class:`.fetch.Fetcher`: httpx over an httpcore network backend that connects only
to the addresses :func:`.guard.check_url` resolved and checked, and bounds every step of a response by one
deadline and by the poll's stop request.

    network = PinnedNetwork(cancel)
    client = httpx.Client(transport=PinnedTransport(network), trust_env=False)
    network.start(check_url(url, allow_private=False), timeout=20)   # before each request
    client.get(target.url)   # connects to the checked addresses; Host and TLS SNI name the host

httpx's timeouts bound each read, so a server that sends its answer a byte at a time never trips them. Here
a request's connect, TLS handshake, request and every read of its head and body share one deadline
(``httpcore.*Timeout`` past it, which httpx reports as a timeout), and waits are cut into ``SLICE``-second
steps that check the stop request (:class:`.errors.FetchCancelled`). The backend never resolves a name:
a host it was not given addresses for is refused (the rebinding gap closed, not narrowed). An environment
proxy is never used (``trust_env=False``): it would resolve the name itself.
"""

from __future__ import annotations

import errno
import functools
import math
import os
import selectors
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import httpcore
import httpx

from .errors import FetchCancelled
from .guard import Target

SLICE = 0.2
"""Longest wait between two looks at the stop request (seconds)."""
T = TypeVar("T")
SocketOption = Any


class Budget:
    """One request's deadline (``time.monotonic()``) and the poll's stop request."""

    def __init__(self, cancel: threading.Event) -> None:
        self.cancel = cancel
        self.deadline = math.inf

    def until(self, timeout: float | None) -> float:
        """When an operation with its own ``timeout`` (None: none) must end: that or the deadline."""
        own = math.inf if timeout is None else time.monotonic() + timeout
        return min(own, self.deadline)

    def next_wait(self, until: float, timed_out: type[Exception]) -> float:
        """Seconds to wait next (at most ``SLICE``); ``FetchCancelled`` once stopped, ``timed_out`` past
        ``until``."""
        if self.cancel.is_set():
            raise FetchCancelled("stopped")
        left = until - time.monotonic()
        if left <= 0:
            raise timed_out("no complete answer by the deadline")
        return min(SLICE, left)


class PinnedStream(httpcore.NetworkStream):
    """A socket whose every wait is bounded by the :class:`Budget`."""

    def __init__(self, sock: socket.socket, budget: Budget) -> None:
        self._sock = sock
        self._budget = budget

    def _io(
        self,
        step: Callable[[], T],
        timeout: float | None,
        timed_out: type[Exception],
        failed: type[Exception],
    ) -> T:
        until = self._budget.until(timeout)
        while True:
            self._sock.settimeout(self._budget.next_wait(until, timed_out))
            try:
                return step()
            except TimeoutError:
                continue
            except OSError as exc:
                raise failed(str(exc) or type(exc).__name__) from exc

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._io(lambda: self._sock.recv(max_bytes), timeout, httpcore.ReadTimeout, httpcore.ReadError)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        view = memoryview(buffer)
        while view:
            send = functools.partial(self._sock.send, view)
            sent = self._io(send, timeout, httpcore.WriteTimeout, httpcore.WriteError)
            view = view[sent:]

    def close(self) -> None:
        self._sock.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        try:
            sock = ssl_context.wrap_socket(
                self._sock, server_hostname=server_hostname, do_handshake_on_connect=False
            )
            stream = PinnedStream(sock, self._budget)
            stream._io(sock.do_handshake, timeout, httpcore.ConnectTimeout, httpcore.ConnectError)
        except BaseException:
            self._sock.close()
            raise
        return stream

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object" and isinstance(self._sock, ssl.SSLSocket):
            return self._sock  # what httpcore asks of it (the ALPN protocol) an SSLSocket answers
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "socket":
            return self._sock
        if info == "is_readable":  # a kept-alive connection the server closed (or wrote to) is not reused
            return self._sock.fileno() == -1 or _ready(self._sock, selectors.EVENT_READ, 0)
        return None


class PinnedNetwork(httpcore.NetworkBackend):
    """Connects each host only to the addresses it was :meth:`start`-ed with, under one :class:`Budget`."""

    def __init__(self, cancel: threading.Event) -> None:
        self.budget = Budget(cancel)
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}

    def start(self, target: Target, timeout: float) -> None:
        """Before a request to ``target``: its checked addresses, and ``timeout`` seconds from now for the
        whole response."""
        self._pins[(target.host, target.port)] = target.addresses
        self.budget.deadline = time.monotonic() + timeout

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get((host, port))
        if not addresses:
            raise httpcore.ConnectError(f"{host}:{port} was not resolved and checked before connecting")
        failures: list[str] = []
        for address in addresses:  # each one checked; the resolver's order of preference
            try:
                return self._connect(address, port, timeout, socket_options or ())
            except httpcore.ConnectError as exc:
                failures.append(f"{address}: {exc}")
        raise httpcore.ConnectError("; ".join(failures))

    def _connect(
        self, address: str, port: int, timeout: float | None, options: Iterable[SocketOption]
    ) -> httpcore.NetworkStream:
        sock = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setblocking(False)
            code = sock.connect_ex((address, port))
            if code not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK):
                raise httpcore.ConnectError(os.strerror(code))
            until = self.budget.until(timeout)
            wait = self.budget.next_wait
            while code and not _ready(sock, selectors.EVENT_WRITE, wait(until, httpcore.ConnectTimeout)):
                pass
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                raise httpcore.ConnectError(os.strerror(code))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for option in options:
                sock.setsockopt(*option)
        except BaseException:
            sock.close()
            raise
        return PinnedStream(sock, self.budget)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[SocketOption] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("feeds are not fetched over Unix sockets")

    def sleep(self, seconds: float) -> None:
        self.budget.cancel.wait(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's transport over a :class:`PinnedNetwork` (HTTP/1.1, the system's certificates)."""

    def __init__(self, network: PinnedNetwork) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=True), network_backend=network
        )


def _ready(sock: socket.socket, event: int, wait: float) -> bool:
    with selectors.DefaultSelector() as selector:
        selector.register(sock, event)
        return bool(selector.select(wait))
