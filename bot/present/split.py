"""Split Telegram HTML into messages under the 4096-character limit, without breaking anything.

    split_html(html) -> ["<b>…</b> first part", "<b>…</b> second part", ...]

Cuts fall, by preference, between paragraphs, then between lines (so a source line stays whole), then
after a sentence or a citation marker, then at a space; a cut never falls inside a tag, an HTML character
reference or a ``[n]`` marker, nor between a marker and the text it follows. Tags open at a cut are
closed at the end of one part and reopened at the start of the next, so each part parses on its own.
Lengths are counted in UTF-16 code units of the raw HTML: never less than what Telegram counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MESSAGE = 4096

_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][\w-]*)")
_MARKER = re.compile(r"\[\d{1,3}\]")
_REFERENCE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{1,8});")
_SPACE_RUN = re.compile(r"\s+")
_SENTENCE_END = '.!?…»”")]'


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(frozen=True, slots=True)
class _Cut:
    end: int  # the part ends here (exclusive)
    resume: int  # the next part starts here (after the whitespace skipped at the cut)
    priority: int
    stack: tuple[str, ...]  # the opening tags in force at the cut, outermost first


def _tag_name(tag: str) -> str:
    m = _TAG_NAME.match(tag)
    return m.group(1).lower() if m else ""


def _closers(stack: tuple[str, ...]) -> str:
    return "".join(f"</{_tag_name(tag)}>" for tag in reversed(stack))


def _protected(text: str) -> set[int]:
    """Offsets in ``text`` where no cut may fall: inside references and markers."""
    inside: set[int] = set()
    for pattern in (_REFERENCE, _MARKER):
        for m in pattern.finditer(text):
            inside.update(range(m.start() + 1, m.end()))
    return inside


def _space_priority(text: str, start: int, end: int) -> int | None:
    """How good a cut at the whitespace ``text[start:end]`` is; None where it must not fall."""
    run = text[start:end]
    if _MARKER.match(text, end):
        return None  # keep a citation with the sentence it closes
    if "\n\n" in run:
        return 4
    if "\n" in run:
        return 3
    if start > 0 and text[start - 1] in _SENTENCE_END:
        return 2
    return 1


def _text_cuts(text: str, offset: int, stack: tuple[str, ...]) -> list[_Cut]:
    cuts: list[_Cut] = []
    spaces: dict[int, tuple[int, int]] = {}
    for m in _SPACE_RUN.finditer(text):
        priority = _space_priority(text, m.start(), m.end())
        if priority is not None:
            spaces[m.start()] = (m.end(), priority)
    protected = _protected(text)
    for i in range(1, len(text)):
        if i in spaces:
            end, priority = spaces[i]
            cuts.append(_Cut(offset + i, offset + end, priority, stack))
        elif i not in protected and not text[i].isspace() and not text[i - 1].isspace():
            cuts.append(_Cut(offset + i, offset + i, 0, stack))
    return cuts


def _cuts(html: str) -> list[_Cut]:
    """Every place a part may end, in order, with the tags open there."""
    cuts: list[_Cut] = []
    stack: list[str] = []
    for m in _TOKEN.finditer(html):
        token = m.group(0)
        if not token.startswith("<"):
            cuts.extend(_text_cuts(token, m.start(), tuple(stack)))
            cuts.append(_Cut(m.end(), m.end(), 0, tuple(stack)))
        elif token.startswith("</"):
            name = _tag_name(token)
            while stack:
                if _tag_name(stack.pop()) == name:
                    break
        elif not token.endswith("/>"):
            stack.append(token)
    return cuts


def _visible(html: str) -> str:
    return re.sub(r"<[^>]*>", "", html).strip()


def split_html(html: str, limit: int = MAX_MESSAGE) -> list[str]:
    """``html`` as one or more messages of at most ``limit`` UTF-16 units each (empty parts dropped)."""
    html = html.strip()
    if utf16_len(html) <= limit:
        return [html] if _visible(html) else []
    cuts = _cuts(html)
    prefix_len = [0]
    for ch in html:
        prefix_len.append(prefix_len[-1] + utf16_len(ch))
    parts: list[str] = []
    start = 0
    opened: tuple[str, ...] = ()
    while utf16_len("".join(opened)) + prefix_len[-1] - prefix_len[start] > limit:
        reopen = "".join(opened)
        budget = limit - utf16_len(reopen)
        fitting = [
            c
            for c in cuts
            if c.end > start
            and prefix_len[c.end] - prefix_len[start] + utf16_len(_closers(c.stack)) <= budget
        ]
        if not fitting:
            raise ValueError(f"cannot split HTML under {limit} characters: a tag alone is longer")
        best = _best_cut(fitting, start, budget, prefix_len)
        part = reopen + html[start : best.end] + _closers(best.stack)
        if _visible(part):
            parts.append(part.strip())
        start, opened = best.resume, best.stack
    last = "".join(opened) + html[start:]
    if _visible(last):
        parts.append(last.strip())
    return parts


def _best_cut(fitting: list[_Cut], start: int, budget: int, prefix_len: list[int]) -> _Cut:
    """The furthest cut of the best priority that still fills at least half the part."""
    floor = prefix_len[start] + budget // 2
    for priority in (4, 3, 2, 1, 0):
        good = [c for c in fitting if c.priority == priority and prefix_len[c.end] >= floor]
        if good:
            return good[-1]
    return fitting[-1]
