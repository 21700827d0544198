"""Telegram HTML's two primitives: text shown as written, and a link that is only ever an http(s) one.

escape("a < b & c")                         -> "a &lt; b &amp; c"
link("Title", "https://example.org/a")      -> '<a href="https://example.org/a">Title</a>'
link("Title", "javascript:alert(1)")        -> "Title"
"""

from __future__ import annotations

import html


def escape(text: str) -> str:
    """Text shown as-is: ``<``, ``>`` and ``&`` become references (quotes stay, they are harmless here)."""
    return html.escape(text, quote=False)


def link(text: str, url: str | None) -> str:
    """``text`` as a link to ``url`` when it is an http(s) URL, else as plain text."""
    shown = escape(text)
    if url and url.lower().startswith(("http://", "https://")) and not any(c.isspace() for c in url):
        return f'<a href="{html.escape(url, quote=True)}">{shown}</a>'
    return shown
