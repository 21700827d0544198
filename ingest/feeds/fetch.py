"""The polite HTTP client the poller fetches feeds and pages with (httpx underneath).

Every request: its URL in one spelling, only http(s), its host resolved once and (unless allowed) every
address public, and the connection made to those checked addresses only (:mod:`.guard`,
:mod:`.transport`); each redirect hop checked the same way and at most ``max_redirects`` of them; at most
``timeout`` seconds for each response, from the connection to the last byte of the body, however slowly
the bytes come; at most ``max_bytes`` read (a larger ``Content-Length`` is refused before reading);
``host_delay`` seconds since the last request to the same host; conditional headers (``If-None-Match``,
``If-Modified-Since``) when the caller has an ETag or a Last-Modified date. ``cancel`` (the poll's stop
request) ends a request or a host delay within a fraction of a second (:class:`.errors.FetchCancelled`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx

from retrieval.settings import Settings

from .errors import FetchCancelled, FetchError
from .guard import Target, check_url
from .transport import PinnedNetwork, PinnedTransport

USER_AGENT = "newsbot/0.1 (RSS and Atom reader)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    host_delay: float = 1.0
    max_redirects: int = 5
    allow_private: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        return cls(
            timeout=settings.feed_timeout,
            max_bytes=settings.feed_max_bytes,
            host_delay=settings.feed_host_delay,
            max_redirects=settings.feed_max_redirects,
            allow_private=settings.feeds_allow_private,
        )


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response read whole: where it ended up (after redirects), its status and body."""

    url: str
    status: int
    content: bytes
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """Fetches one URL at a time under a :class:`FetchPolicy`; ``cancel`` ends a request or a host delay."""

    def __init__(self, policy: FetchPolicy, *, cancel: threading.Event | None = None) -> None:
        self.policy = policy
        self.cancel = cancel or threading.Event()
        self._network = PinnedNetwork(self.cancel)
        self._client = httpx.Client(
            timeout=httpx.Timeout(policy.timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            transport=PinnedTransport(self._network),
            trust_env=False,
        )
        self._last: dict[str, float] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        accept: str = FEED_ACCEPT,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """The response to ``GET url`` (a 304 when the conditional headers matched), or :class:`FetchError`
        naming the URL: a status of 400 or more, a timeout, too large, too many redirects, a refused
        address."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            target = check_url(current, allow_private=self.policy.allow_private)
            self._wait_for_host(target.url)
            fetched, location = self._send(target, headers)
            if location is None:
                if fetched.status >= 400:
                    raise FetchError(f"{target.url}: HTTP {fetched.status} {_reason(fetched.status)}")
                return fetched
            current = urljoin(target.url, location)
        raise FetchError(
            f"{url}: more than {self.policy.max_redirects} redirects (NEWSBOT_FEED_MAX_REDIRECTS)"
        )

    def _send(self, target: Target, headers: dict[str, str]) -> tuple[Fetched, str | None]:
        """The response (read whole unless a redirect or an error), and where it redirects to."""
        url = target.url
        self._network.start(target, self.policy.timeout)
        try:
            request = self._client.build_request("GET", url, headers=headers)
            response = self._client.send(request, stream=True)
            try:
                location = response.headers.get("Location") if response.is_redirect else None
                if location is not None:
                    return _fetched(url, response, b""), location
                body = self._read(url, response) if response.status_code < 300 else b""
                return _fetched(url, response, body), None
            finally:
                response.close()
        except FetchCancelled:
            raise FetchCancelled(f"{url}: stopped before the answer was read") from None
        except httpx.TimeoutException:
            raise FetchError(f"{url}: no complete answer within {self.policy.timeout:g} s") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"{url}: {exc or type(exc).__name__}") from None

    def _read(self, url: str, response: httpx.Response) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(
                f"{url}: {int(declared):,} bytes, over the {limit:,} allowed (NEWSBOT_FEED_MAX_BYTES)"
            )
        parts: list[bytes] = []
        size = 0
        for part in response.iter_bytes():
            size += len(part)
            if size > limit:
                raise FetchError(f"{url}: more than the {limit:,} bytes allowed (NEWSBOT_FEED_MAX_BYTES)")
            parts.append(part)
        return b"".join(parts)

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            wait = last + self.policy.host_delay - time.monotonic()
            if wait > 0 and self.cancel.wait(wait):
                raise FetchCancelled(f"{url}: stopped before it was requested")
        if self.cancel.is_set():
            raise FetchCancelled(f"{url}: stopped before it was requested")
        self._last[host] = time.monotonic()


def _fetched(url: str, response: httpx.Response, body: bytes) -> Fetched:
    media = response.headers.get("Content-Type", "")
    return Fetched(
        url=url,
        status=response.status_code,
        content=body,
        content_type=media.split(";", 1)[0].strip().lower(),
        charset=response.charset_encoding,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )


def _reason(status: int) -> str:
    return httpx.codes.get_reason_phrase(status)
