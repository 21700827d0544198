"""A story's pickup as plain text (``newsbot story``) and as Telegram HTML (the 📰 button): who ran it
first and when, who followed and how much later, every copy with its link, and the outlets active around
it that never ran it (:mod:`retrieval.search.pickup`).

    print(pickup_text(pickup))               # the command line's, in English
    pickup_json(pickup)                      # newsbot story --json
    pickup_html(pickup, "ru")                # the bot's, in the language of the question it came from
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.present.cut import trim
from bot.present.html import SOURCE_CHARS, TITLE_CHARS, title_link
from bot.present.markup import escape
from bot.present.phrases import PICKUP
from bot.present.split import split_html
from retrieval.answer.answer_json import article_json
from retrieval.records import Copy
from retrieval.search.pickup import Pickup, Ran

ABSENT_SHOWN = 30
"""The most absent outlets the bot names (the rest are counted); the command line names them all."""


def pickup_text(pickup: Pickup, lang: str = "en") -> str:
    """The pickup, a line a copy: ``2026-01-07  +24 h  Outlet  «Title»  URL  [id]``."""

    def line(r: Ran) -> str:
        c = r.copy
        parts = [
            _day(c, lang),
            _lag(r, lang),
            _outlet(c, lang),
            f"«{c.title}»",
            c.url or "",
            f"[{c.article_id}]",
        ]
        return "  ".join(p for p in parts if p)

    return "\n".join(_lines(pickup, lang, line, ", ".join, heading=str))


def pickup_html(pickup: Pickup, lang: str) -> list[str]:
    """The pickup as the bot sends it, each copy's title linking to it; in as many messages as it
    takes."""

    def line(r: Ran) -> str:
        c = r.copy
        parts = [_day(c, lang), escape(_lag(r, lang)), escape(trim(_outlet(c, lang), SOURCE_CHARS))]
        return " · ".join(p for p in parts if p) + f" — {title_link(c.title or c.article_id, c.url)}"

    def absent(outlets: list[str]) -> str:
        shown = ", ".join(escape(trim(o, SOURCE_CHARS)) for o in outlets[:ABSENT_SHOWN])
        return shown + (f" +{len(outlets) - ABSENT_SHOWN}" if len(outlets) > ABSENT_SHOWN else "")

    lines = _lines(pickup, lang, line, absent, heading=lambda text: f"📰 <b>{escape(text)}</b>")
    return split_html("\n".join(lines))


def pickup_json(pickup: Pickup) -> dict[str, object]:
    """``{"story", "first": {article_id, outlet, date, url, title}, "copies": [{…, after_hours}] (every
    copy, the first included), "absent": [outlets], "window": {since, until}}``; dates as ISO days, a
    missing one as null."""
    return {
        "story": pickup.story,
        "first": _copy_json(pickup.first.copy),
        "copies": [_copy_json(r.copy) | {"after_hours": r.after_hours} for r in pickup.copies],
        "absent": list(pickup.absent),
        "window": {
            "since": pickup.since.isoformat() if pickup.since else None,
            "until": pickup.until.isoformat() if pickup.until else None,
        },
    }


def not_found_json(what: str) -> dict[str, object]:
    """What ``newsbot story --json`` says of an id no article has and words that find none."""
    return {"query": what, "first": None, "copies": [], "absent": []}


def not_found_text(what: str, lang: str = "en") -> str:
    """What ``newsbot story`` says of an id no article has and words that find none."""
    return PICKUP[lang]["not_found"].format(what=what)


def _lines(
    pickup: Pickup,
    lang: str,
    line: Callable[[Ran], str],
    absent: Callable[[list[str]], str],
    *,
    heading: Callable[[str], str],
) -> list[str]:
    """The pickup's lines: the heading (``heading`` shows it), the first copy, the followers (``line``
    shows a copy), the absent outlets (``absent`` shows them)."""
    said = PICKUP[lang]
    lines = [heading(f"{said['heading']}: {trim(pickup.first.copy.title, TITLE_CHARS)}")]
    lines.append(f"{said['first']}: {line(replace(pickup.first, after_hours=None))}")
    if pickup.followers:
        lines.append(f"{said['followed']}:")
        lines.extend(f"  {line(r)}" for r in pickup.followers)
    else:
        lines.append(said["nobody_followed"])
    if pickup.since is None or pickup.until is None:
        lines.append(said["no_window"])
        return lines
    window = {"since": pickup.since.isoformat(), "until": pickup.until.isoformat()}
    if pickup.absent:
        lines.append(f"{said['absent'].format(**window)}: {absent(list(pickup.absent))}")
    else:
        lines.append(said["none_absent"].format(**window))
    return lines


def _day(c: Copy, lang: str) -> str:
    return c.date.isoformat() if c.date else PICKUP[lang]["undated"]


def _lag(r: Ran, lang: str) -> str:
    """``+24 h (1 d later)``: how long after the first copy ("" for an undated copy)."""
    if r.after_hours is None:
        return ""
    said = PICKUP[lang]
    days = r.after_hours // 24
    when = said["later"].format(days=days) if days else said["same_day"]
    return f"{said['hours'].format(hours=r.after_hours)} ({when})"


def _outlet(c: Copy, lang: str) -> str:
    return c.source or PICKUP[lang]["unknown_outlet"]


def _copy_json(c: Copy) -> dict[str, object]:
    """A copy as search's JSON gives an article (:func:`article_json`), its outlet named ``outlet``."""
    shown = article_json(c)
    return {"article_id": shown.pop("article_id"), "outlet": shown.pop("source"), **shown}
