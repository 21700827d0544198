"""Which URLs newsbot may request: http(s) only, and no loopback, private or link-local addresses unless
``NEWSBOT_FEEDS_ALLOW_PRIVATE`` says so (every address the host resolves to is checked)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit, urlunsplit

from .errors import BlockedAddress, FeedError, FetchError

SCHEMES = ("http", "https")


def feed_url(url: str) -> str:
    """``url`` as the feed list keeps it (scheme and host in lower case), or :class:`FeedError` saying
    why it is not an http(s) URL."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise FeedError(f"{url!r} is not a URL ({exc})") from None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise FeedError(f"{url!r} is not an http(s) URL such as https://example.org/rss.xml")
    netloc = parts.netloc if "@" in parts.netloc else parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc.lower(), parts.path or "/", parts.query, ""))


def check_url(url: str, *, allow_private: bool) -> None:
    """Raise :class:`FetchError` unless ``url`` is http(s) and (unless ``allow_private``) every address
    of its host is a public one."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise FetchError(f"{url}: only http and https URLs are fetched")
    if allow_private:
        return
    host = parts.hostname
    try:
        infos = socket.getaddrinfo(host, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"{url}: cannot resolve {host!r} ({exc})") from None
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not public(address):
            raise BlockedAddress(
                f"{url}: {host} is at {address}, a loopback, private or link-local address "
                "(set NEWSBOT_FEEDS_ALLOW_PRIVATE=true to allow it)"
            )


def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address`` is a public unicast one (an IPv4-mapped IPv6 address is judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast
