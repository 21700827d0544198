"""A search's results as Telegram HTML, laid out one message per page (``/search``, "All copies").

    pages = render_search("ключевая ставка", passages, request=query)
    pages.pages[0]                               # the first page, with its header "🔎 … 1–5 / 20 · 1/4"

Strong and related matches first, weak ones last and set apart; a story's other copies ("also in")
under the first of its passages only; each page at most :data:`PER_PAGE` passages and well under
Telegram's limit, so the « / » buttons only ever swap whole pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.present.cut import trim
from bot.present.html import also_in_word, passage_block
from bot.present.markup import escape
from bot.present.shown import mentioned_line, without_weak, words
from bot.present.split import MAX_MESSAGE, utf16_len
from bot.query_syntax import Query
from retrieval.entities.who import Counted
from retrieval.records import Passage, with_defaults

PER_PAGE = 5
QUERY_CHARS = 200
"""The most of the query a page's header repeats."""


@dataclass(frozen=True, slots=True)
class SearchPages:
    """A search's results, already laid out one message per page."""

    query: str
    pages: tuple[str, ...]
    total: int
    request: Query | None = None
    """The search as asked (words and filters), to run again with every copy (the "All copies" button)."""
    grouped: bool = False
    """Whether a story's copies were left out ("also in"): what "All copies" would show."""
    stories: tuple[tuple[tuple[int, str], ...], ...] = ()
    """Per page, the number and article of each passage whose story other articles tell too (its 📰)."""

    __setstate__ = with_defaults  # a state file saved before ``stories`` existed still loads


def render_search(
    query: str,
    passages: Sequence[Passage],
    *,
    per_page: int = PER_PAGE,
    note: str = "",
    request: Query | None = None,
    mentioned: Sequence[Counted] = (),
) -> SearchPages:
    """Passages with date, outlet and link, up to ``per_page`` to a page, each page under the limit;
    ``note`` (the query was shortened) under the first page's header; ``request``: the search as asked,
    kept for the "All copies" button; ``mentioned``: the entities most mentioned among the passages,
    under the first page's header."""
    said = words(query)
    strong, hidden = without_weak(passages)
    passages = [*strong, *(p for p in passages if p.strength == "weak")]  # weak matches last
    if not passages:
        said_note = f"\n<i>({escape(note)})</i>" if note else ""
        nothing = f"{said['nothing']}: «{escape(trim(query, QUERY_CHARS))}».{said_note}"
        return SearchPages(query, (nothing,), 0)
    opening = {p.article_id: i for i, p in reversed(list(enumerate(passages, 1)))}  # "also in": once
    also = also_in_word(said)
    blocks = [
        passage_block(i, p, said["undated"], said, also if opening[p.article_id] == i else "")
        for i, p in enumerate(passages, 1)
    ]
    if hidden and strong:  # set the weak matches apart
        blocks[len(strong)] = f"<i>{escape(said['weak_below'])}</i>\n\n" + blocks[len(strong)]
    groups = _pack(blocks, per_page, MAX_MESSAGE - 300)
    pages = []
    shown_query = escape(trim(query, QUERY_CHARS))
    for number, group in enumerate(groups, 1):
        first = sum(len(g) for g in groups[: number - 1]) + 1
        header = (
            f"🔎 <b>{shown_query}</b>: {first}–{first + len(group) - 1} / {len(passages)}"
            f" · {number}/{len(groups)}"
        )
        if note and number == 1:
            header += f"\n<i>({escape(note)})</i>"
        if number == 1 and (line := mentioned_line(mentioned, said)):
            header += f"\n👥 {escape(line)}"
        pages.append("\n\n".join([header, *group]))
    grouped = any(p.copies for p in passages)
    told = _told(passages, [len(g) for g in groups], opening)
    return SearchPages(query, tuple(pages), len(passages), request, grouped, told)


def _told(
    passages: Sequence[Passage], sizes: Sequence[int], opening: dict[str, int]
) -> tuple[tuple[tuple[int, str], ...], ...]:
    """Per page of ``sizes`` passages, the number and article of each passage (an article's first) whose
    story other articles tell too."""
    told: list[tuple[tuple[int, str], ...]] = []
    first = 1
    for size in sizes:
        page = enumerate(passages[first - 1 : first - 1 + size], first)
        told.append(tuple((i, p.article_id) for i, p in page if p.copies and opening[p.article_id] == i))
        first += size
    return tuple(told)


def _pack(blocks: list[str], per_page: int, budget: int) -> list[list[str]]:
    """Consecutive blocks grouped: at most ``per_page`` to a group and ``budget`` characters in all."""
    groups: list[list[str]] = [[]]
    size = 0
    for block in blocks:
        length = utf16_len(block) + 2
        if groups[-1] and (len(groups[-1]) >= per_page or size + length > budget):
            groups.append([])
            size = 0
        groups[-1].append(block)
        size += length
    return groups
