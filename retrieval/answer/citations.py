"""Numbered sources: one number per cited article, in order of first use; ``[n]`` markers in text; and
the addresses a text carries, which must be its sources' own or asked for.

An address is whatever sends a reader somewhere else, the payload of an injected instruction ("claim
compensation at http://evil.example/login", "confirm with @us_envoy_verify or verify@us-envoy.help"):

- a link (:data:`LINK`: URLs, ``www.`` addresses, bare domains) may only be one of the cited sources'
  own links;
- a contact (:data:`CONTACT`: an ``@handle``, an e-mail address, a phone number) only one the question
  names, or of a kind the question asks for ("какой телефон горячей линии?", "what is their e-mail?").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from retrieval.records import Citation, Passage

MARKER = re.compile(r"\[(\d{1,3})\]")
_URL_CHARS = r"[^\s<>\"'«»()\[\]]"
LINK = re.compile(
    rf"(?:\bhttps?://|\bwww\.){_URL_CHARS}+"  # a URL
    rf"|\b(?:[\w-]+\.)+[^\W\d_]{{2,}}/{_URL_CHARS}*"  # a bare domain with a path: evil.example/login
    r"|\b(?:[\w-]+\.)+(?:com|org|net|info|biz|io|co|me|xyz|top|site|online|ru|su|рф|ua|by|kz|uk|de)\b",
    re.IGNORECASE,
)
"""What a chat client would make a link of: URLs, ``www.`` addresses and bare domains."""

_EMAIL = r"(?<![\w.+-])[\w.+-]+@(?:[\w-]+\.)+[^\W\d_]{2,}\b"
_HANDLE = r"(?<![\w@.+-])@[^\W\d]\w{1,31}\b"
_PHONE = (
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,5}\)|\d{1,5})(?:[\s.-]?\d{1,4}){1,4}"  # +7 495 123-45-67
    r"|\(\d{3,5}\)[\s.-]?\d{2,4}(?:[\s.-]?\d{2,4}){1,2}"  # (495) 123-45-67
    r"|\b8[\s-]?\d{3}[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}"  # 8 800 555 35 35
    r"|\b\d{3}-\d{2}-\d{2})\b"  # 123-45-67
)
CONTACT = re.compile(rf"(?P<email>{_EMAIL})|(?P<handle>{_HANDLE})|(?P<phone>{_PHONE})", re.IGNORECASE)
"""Contact details: e-mail addresses, ``@handles`` (Telegram, X, Instagram) and phone numbers."""

_ASKED_FOR = {
    "email": re.compile(r"e-?mail|почт|имейл|емейл|электронн\w* адрес|адрес\w* электронн", re.I),
    "handle": re.compile(
        r"телеграм|telegram|аккаунт|account|handle|username|ник\b|никнейм|канал|channel|твиттер|twitter",
        re.I,
    ),
    "phone": re.compile(r"телефон|позвонить|звонить|горяч\w* лини|phone|hotline|call\b", re.I),
}
_ANY_CONTACT = re.compile(r"контакт|связаться|обратиться|contact|reach", re.I)
"""Words of a question that ask for contact details: of one kind, or of any."""


def citation_for(n: int, passage: Passage, quote: str) -> Citation:
    c = passage.chunk
    return Citation(
        n=n,
        article_id=c.article_id,
        title=c.title,
        date=c.date,
        url=c.url,
        source=c.source,
        quote=quote,
        copies=passage.copies,
        more_copies=passage.more_copies,
        origin=passage.origin,
    )


def markers_in(text: str) -> list[int]:
    return [int(m) for m in MARKER.findall(text)]


def renumber(text: str, mapping: dict[int, int]) -> str:
    """Rewrite ``[n]`` markers through ``mapping``; markers not in it are removed with their spacing."""

    def swap(m: re.Match[str]) -> str:
        new = mapping.get(int(m.group(2)))
        return f"{m.group(1)}[{new}]" if new is not None else ""

    return re.sub(r"(\s*)\[(\d{1,3})\]", swap, text)


def links_in(text: str) -> list[str]:
    """The links in ``text``, but for the domain of an e-mail address (a contact)."""
    inside = [m.span() for m in CONTACT.finditer(text)]
    return [
        m.group(0).rstrip(".,;:!?")
        for m in LINK.finditer(text)
        if not any(lo <= m.start() and m.end() <= hi for lo, hi in inside)
    ]


def contacts_in(text: str) -> list[tuple[str, str]]:
    """The contact details in ``text``, each as (kind, text): kind ``email``, ``handle`` or ``phone`` (of
    7 to 15 digits, as ITU-T E.164 numbers are)."""
    found = [(m.lastgroup or "", m.group(0)) for m in CONTACT.finditer(text)]
    return [(kind, c) for kind, c in found if kind != "phone" or 7 <= len(re.sub(r"\D", "", c)) <= 15]


def foreign_addresses(text: str, urls: Iterable[str | None], question: str) -> list[str]:
    """The addresses in ``text`` a reader was not led to by the sources or the question: links that are
    none of ``urls`` (scheme, ``www.`` and a final ``/`` aside), and contacts that ``question`` neither
    names nor asks for."""
    own = {_bare(u) for u in urls if u}
    foreign = [link for link in links_in(text) if _bare(link) not in own]
    named = {_bare_contact(c) for _, c in contacts_in(question)}
    any_kind = bool(_ANY_CONTACT.search(question))
    for kind, contact in contacts_in(text):
        asked = any_kind or bool(_ASKED_FOR[kind].search(question))
        if not asked and _bare_contact(contact) not in named:
            foreign.append(contact)
    return foreign


def _bare(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower()).rstrip("/")


def _bare_contact(contact: str) -> str:
    """A contact as compared: lower case; a phone number's digits only."""
    digits = re.sub(r"\D", "", contact)
    return digits if "@" not in contact else contact.lower()
