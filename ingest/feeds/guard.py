"""Which URLs newsbot may request, and at which addresses: http(s) only, and no loopback, private or
link-local addresses unless ``NEWSBOT_FEEDS_ALLOW_PRIVATE`` says so.

A URL is first brought to one spelling (:func:`feed_url`): scheme and host in lower case, a numeric IPv4
host in any form the resolver reads (``0177.0.0.1`` octal, ``0x7f.1`` hex, ``2130706433`` decimal,
``127.1`` short) as its dotted quad, an IPv6 host compressed, one trailing dot of a name dropped, the
user info percent-encoded so that the URL has one ``@``. Then its host is resolved once
(:func:`check_url`), every address checked, and the :class:`Target` it returns is what the connection uses
(:mod:`.transport` connects to those addresses only): a name that resolves elsewhere a moment later (DNS
rebinding) is never asked again.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import httpx

from .errors import BlockedAddress, FeedError, FetchError

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
USERINFO_SAFE = "!$&'()*+,;=%-._~"
"""What stays as written in user info (RFC 3986's sub-delims and unreserved, and existing escapes)."""
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]*|[0-9]+")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class _NotHTTP(ValueError):
    """Not an http(s) URL with a host."""


@dataclass(frozen=True, slots=True)
class Target:
    """A URL ready to request: its one spelling, the host name as sent (``Host``, TLS SNI; IDNA-encoded),
    the port, and the addresses the host resolved to when it was checked: the only ones connected to."""

    url: str
    host: str
    port: int
    addresses: tuple[str, ...]


def feed_url(url: str) -> str:
    """``url`` in its one spelling (the feed list keeps this), or :class:`FeedError` saying why it is not an
    http(s) URL newsbot can request."""
    try:
        return normal_url(url)
    except _NotHTTP:
        raise FeedError(f"{url!r} is not an http(s) URL such as https://example.org/rss.xml") from None
    except ValueError as exc:
        raise FeedError(f"{url!r} is not a URL ({exc})") from None


def normal_url(url: str) -> str:
    """``url`` in its one spelling; ``ValueError`` (``_NotHTTP`` for another scheme or no host) else."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        raise _NotHTTP(url)
    port = parts.port  # ValueError on a port that is not a number or out of range
    host = normal_host(parts.hostname)
    userinfo, at, _ = parts.netloc.rpartition("@")
    netloc = quote(userinfo, safe=USERINFO_SAFE + ":") + at if at else ""
    netloc += f"[{host}]" if ":" in host else host
    netloc += f":{port}" if port is not None else ""
    normal = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    try:
        parsed = httpx.URL(normal)
    except httpx.InvalidURL as exc:
        raise ValueError(str(exc)) from None
    if not parsed.host:
        raise _NotHTTP(url)
    return normal


def normal_host(host: str) -> str:
    """``host`` (as :func:`urllib.parse.urlsplit` gives it: no brackets) in its one spelling: a numeric
    IPv4 host as a dotted quad, an IPv6 one compressed, a name lower-cased without its trailing dot;
    ``ValueError`` when it is numeric but no address, or holds characters no host has."""
    host = host.lower()
    if ":" in host:
        if "%" in host:
            raise ValueError(f"{host!r}: an IPv6 zone index is not fetched")
        return ipaddress.IPv6Address(host).compressed
    numeric = _ipv4(host)
    if numeric is not None:
        return numeric
    name = host[:-1] if host.endswith(".") else host
    if "" in name.split(".") or any(c in name for c in "\x00 \t\r\n/\\?#@[]%"):
        raise ValueError(f"{host!r} is not a host name")
    return name


def _ipv4(host: str) -> str | None:
    """The dotted quad of a host whose last label is a number, read as the resolver (``inet_aton``) and
    the WHATWG URL standard read it: 1 to 4 parts, each decimal, octal (``0``…) or hex (``0x``…), the last
    filling the remaining bytes; None when the host is a name; ``ValueError`` when it is no address."""
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    if not _NUMBER.fullmatch(labels[-1]):
        return None
    if len(labels) > 4:
        raise ValueError(f"{host!r}: more than 4 parts in an IPv4 address")
    numbers = [_ipv4_part(host, label) for label in labels]
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise ValueError(f"{host!r}: an IPv4 address out of range")
    value = last + sum(n << (8 * (3 - i)) for i, n in enumerate(head))
    return str(ipaddress.IPv4Address(value))


def _ipv4_part(host: str, label: str) -> int:
    if not _NUMBER.fullmatch(label):
        raise ValueError(f"{host!r}: {label!r} is not a number in an IPv4 address")
    if label[:2] in ("0x", "0X"):
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        try:
            return int(label, 8)
        except ValueError:
            raise ValueError(f"{host!r}: {label!r} is not an octal number") from None
    return int(label)


def check_url(url: str, *, allow_private: bool) -> Target:
    """``url`` resolved once and checked: :class:`FetchError` unless it is http(s), and (unless
    ``allow_private``) :class:`BlockedAddress` unless every address of its host is a public one."""
    try:
        normal = normal_url(url)
    except _NotHTTP:
        raise FetchError(f"{url}: only http and https URLs are fetched") from None
    except ValueError as exc:
        raise FetchError(f"{url}: not a URL that can be fetched ({exc})") from None
    parsed = httpx.URL(normal)
    host = parsed.raw_host.decode("ascii")
    port = parsed.port or DEFAULT_PORTS[parsed.scheme]
    addresses = _resolve(normal, host, port)
    if not allow_private:
        for address in addresses:
            if not public(address):
                raise BlockedAddress(
                    f"{normal}: {parsed.host} is at {address}, a loopback, private or link-local address "
                    "(set NEWSBOT_FEEDS_ALLOW_PRIVATE=true to allow it)"
                )
    return Target(normal, host, port, tuple(dict.fromkeys(str(a) for a in addresses)))


def _resolve(url: str, host: str, port: int) -> list[Address]:
    """Every address of ``host`` (an IP literal is its own), in the resolver's order of preference."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError) as exc:
        raise FetchError(f"{url}: cannot resolve {host!r} ({exc})") from None
    addresses = [ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]) for *_, sockaddr in infos]
    if not addresses:
        raise FetchError(f"{url}: cannot resolve {host!r} (no address)")
    return addresses


def public(address: Address) -> bool:
    """Whether ``address`` is a public unicast one. An IPv6 address that carries an IPv4 one (mapped,
    compatible, NAT64, 6to4, Teredo) is judged by that IPv4 address as well."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None and not public(inner):
            return False
    return address.is_global and not address.is_multicast and not address.is_reserved


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    value = int(address)
    if value >> 32 == 0 or value >> 32 == 0x64FF9B << 64:  # IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    return None
