"""Start a real ``chroma run`` server on a free loopback port (for server-mode tests), and a gateway
that makes it require a token."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ChromaServer:
    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = path.parent / f"chroma-{self.port}.log"

    def _command(self) -> list[str]:
        exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        if exe is None:
            raise RuntimeError("the 'chroma' command (from chromadb) is not installed")
        return [exe, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)]

    def start(self, timeout: float = 60.0) -> ChromaServer:
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "ORT_DISABLE_TELEMETRY": "1"}
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(self._command(), stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"chroma run did not answer within {timeout} s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


NGINX_401 = (
    "<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n"
    "<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class TokenGate:
    """A loopback gateway in front of a Chroma server that lets through only requests with the token.

    ``chroma run`` (chromadb 1.x, the Rust server) authenticates nobody, so this stands where a hosted or
    distributed Chroma checks the token: a request carrying it (``X-Chroma-Token: <token>`` or
    ``Authorization: Bearer <token>``) is forwarded to the real server and its answer returned; any other
    gets what Chroma's token authentication answers, ``403 {"error": "AuthError", "message": "Forbidden"}``,
    or with ``html`` what a web gateway (nginx) answers itself: ``401`` and its HTML page.
    Every request's method, path and headers are kept in :attr:`requests`.
    """

    def __init__(self, upstream: str, token: str, *, html: bool = False) -> None:
        self.upstream = urllib.parse.urlparse(upstream)
        self.token = token
        self.html = html
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def authorized(self, headers: dict[str, str]) -> bool:
        return headers.get("x-chroma-token") == self.token or (
            headers.get("authorization") == f"Bearer {self.token}"
        )

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        gate = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                gate.requests.append((self.command, self.path, headers))
                body = self.rfile.read(int(headers.get("content-length") or 0))
                if gate.authorized(headers):
                    status, content_type, answer = gate._forward(self.command, self.path, headers, body)
                elif gate.html:
                    status, content_type, answer = 401, "text/html", NGINX_401.encode()
                else:
                    status, content_type = 403, "application/json"
                    answer = json.dumps({"error": "AuthError", "message": "Forbidden"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection(
            self.upstream.hostname or "127.0.0.1", self.upstream.port, timeout=60
        )
        try:
            sent = {k: v for k, v in headers.items() if k not in ("host", "connection", "content-length")}
            conn.request(method, path, body=body or None, headers=sent)
            resp = conn.getresponse()
            return resp.status, resp.getheader("Content-Type", "application/json"), resp.read()
        finally:
            conn.close()

    def __enter__(self) -> TokenGate:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
