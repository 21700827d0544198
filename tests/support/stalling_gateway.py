"""A Chroma server that stops answering: a loopback gateway in front of a real ``chroma run`` that
forwards every request until told to stall some (all of them, or the writes only, as a server does
whose disk was full: docs/soak.md, fault 2); a stalled request is read and never answered, its
connection left open, until the gateway closes. Also a bare TCP port that accepts and never answers."""

from __future__ import annotations

import http.client
import http.server
import re
import socket
import threading
import urllib.parse
from collections.abc import Callable

WRITES = re.compile(r"/collections/[^/]+/(add|upsert|update|delete)$")
"""The paths of Chroma's writes to a collection's records."""


def every_request(method: str, path: str) -> bool:
    return True


def writes(method: str, path: str) -> bool:
    return WRITES.search(urllib.parse.urlparse(path).path) is not None


class StallingGateway:
    """Forwards to ``upstream`` (a Chroma server's URL); requests that :meth:`stall`'s rule picks get no
    answer. :attr:`stalled` counts them."""

    def __init__(self, upstream: str) -> None:
        self.upstream = urllib.parse.urlparse(upstream)
        self.rule: Callable[[str, str], bool] | None = None
        self.stalled = 0
        self._closing = threading.Event()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def stall(self, rule: Callable[[str, str], bool] | None = every_request) -> None:
        """From now on, requests for which ``rule(method, path)`` holds get no answer (None: none)."""
        self.rule = rule

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                rule = gateway.rule
                if rule is not None and rule(self.command, self.path):
                    gateway.stalled += 1
                    gateway._closing.wait()  # never answered; the connection closes with the gateway
                    self.close_connection = True
                    return
                status, headers, answer = gateway._forward(self.command, self.path, dict(self.headers), body)
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        host, port = self.upstream.hostname or "127.0.0.1", self.upstream.port
        conn = http.client.HTTPConnection(host, port, timeout=60)
        try:
            hop = ("host", "connection", "content-length")
            sent = {k: v for k, v in headers.items() if k.lower() not in hop}
            conn.request(method, path, body=body or None, headers=sent)
            resp = conn.getresponse()
            return resp.status, resp.getheaders(), resp.read()
        finally:
            conn.close()

    def __enter__(self) -> StallingGateway:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class SilentPort:
    """A loopback port that accepts connections and never answers (a server stopped with SIGSTOP, a
    firewall that lets the handshake through): what connects there waits for an answer for ever."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def __enter__(self) -> SilentPort:
        return self

    def __exit__(self, *exc: object) -> None:
        self._sock.close()
