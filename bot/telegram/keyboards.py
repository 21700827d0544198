"""Inline buttons and what each one means: small frozen records, not strings.

The bot is built with python-telegram-bot's ``arbitrary_callback_data``: a button's callback data is
one of the records below, which PTB keeps server-side (in a bounded cache, saved by the persistence,
see :mod:`bot.telegram.persistence`) and sends Telegram only a key for; a press comes back with the
record itself, and ``CallbackQueryHandler(pattern=ShowQuotes)`` routes it by type. A press whose key the
cache no longer holds (older than the cache, or from a version before it) comes back as PTB's
``InvalidCallbackData``.

ShowQuotes(answer)      📄: the quoted passages of an answer
Vote(answer, up)        👍 / 👎 on an answer
Page(search, number)    « / »: page ``number`` of a search's results
Unfollow(follow, words) ✖: stop the chat's follow ``follow`` (/following)
AllCopies(search)       📚: a search again, with every copy of each story (not "also in")
ExportCsv(query)        📎: a search's results up to the export limit, as a CSV document
ShowPickup(article, language) 📰: who ran the story an article tells, first and after, and who did not
WhoOf(query)            👤: /who of a name (one named with it, or one near an unknown name), same filters
TimelineOf(query)       🕑: /timeline of the name of a /who page, with its filters
SearchFor(query)        🔎: /search of the name of a /who page, with its filters
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from textwrap import shorten
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import CallbackContext

from bot.present.pages import SearchPages
from bot.present.phrases import PICKUP
from bot.present.shown import words
from bot.query_syntax import Query
from retrieval.records import Answer
from retrieval.search.searcher import question_language


@dataclass(frozen=True, slots=True)
class ShownAnswer:
    """An answer as its buttons keep it: an id that its votes are filed under (:mod:`bot.feedback`),
    and of its passages only those it cites (what 📄 shows)."""

    id: str
    answer: Answer

    @classmethod
    def of(cls, answer: Answer) -> ShownAnswer:
        cited = {c.article_id for c in answer.citations}
        kept = replace(answer, passages=tuple(p for p in answer.passages if p.article_id in cited))
        return cls(secrets.token_urlsafe(9), kept)


@dataclass(frozen=True, slots=True)
class ShowQuotes:
    answer: ShownAnswer


@dataclass(frozen=True, slots=True)
class Vote:
    answer: ShownAnswer
    up: bool


@dataclass(frozen=True, slots=True)
class Page:
    search: SearchPages
    number: int
    """0-based."""


@dataclass(frozen=True, slots=True)
class AllCopies:
    search: SearchPages


@dataclass(frozen=True, slots=True)
class ExportCsv:
    query: Query
    """The search as asked (words and filters), run again for the export."""


@dataclass(frozen=True, slots=True)
class Unfollow:
    follow_id: str
    words: str


@dataclass(frozen=True, slots=True)
class ShowPickup:
    article_id: str
    language: str
    """The language of the question or query the button came with ("ru" or "en"): the pickup's."""


def pickup_row(stories: Sequence[tuple[int, str]], language: str) -> list[InlineKeyboardButton]:
    """📰 for each (number, article id) of an answer's sources or a page's passages whose story has other
    copies: "📰 Who ran it" for one, "📰 n" for several."""
    one = len(stories) == 1
    return [
        InlineKeyboardButton(
            f"📰 {PICKUP[language]['button'] if one else n}", callback_data=ShowPickup(aid, language)
        )
        for n, aid in stories
    ]


@dataclass(frozen=True, slots=True)
class WhoOf:
    query: Query


@dataclass(frozen=True, slots=True)
class TimelineOf:
    query: Query


@dataclass(frozen=True, slots=True)
class SearchFor:
    query: Query


BUTTONS: tuple[type, ...] = (
    ShowQuotes,
    Vote,
    Page,
    AllCopies,
    ExportCsv,
    Unfollow,
    WhoOf,
    TimelineOf,
    SearchFor,
    ShowPickup,
)
"""Every button's record (its ``callback_data``): what the bot's saved state may hold of them."""


def who_keyboard(
    query: Query, names: Sequence[str], labels: tuple[str, str] | None = None
) -> InlineKeyboardMarkup | None:
    """With ``labels`` (timeline, search): 🕑 and 🔎 for the name of ``query``; then a 👤 button per name
    of ``names`` (its /who with the same filters), two a row. None when there is no button."""
    rows = []
    if labels is not None:
        rows.append(
            [
                InlineKeyboardButton(f"🕑 {labels[0]}", callback_data=TimelineOf(query)),
                InlineKeyboardButton(f"🔎 {labels[1]}", callback_data=SearchFor(query)),
            ]
        )
    people = [
        InlineKeyboardButton(
            f"👤 {shorten(name, 40, placeholder='…')}", callback_data=WhoOf(replace(query, text=name))
        )
        for name in names
    ]
    rows += [people[i : i + 2] for i in range(0, len(people), 2)]
    return InlineKeyboardMarkup(rows) if rows else None


def follows_keyboard(follows: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup | None:
    """One ✖ button per (follow id, words), to stop that follow; None when there are none."""
    if not follows:
        return None
    rows = [
        [InlineKeyboardButton(f"✖ {shorten(words, 40, placeholder='…')}", callback_data=Unfollow(fid, words))]
        for fid, words in follows
    ]
    return InlineKeyboardMarkup(rows)


def answer_keyboard(shown: ShownAnswer, vote: bool | None = None) -> InlineKeyboardMarkup:
    """📄 (when the answer cites something), 👍 and 👎; the vote already given (up: True) is ticked; under
    them 📰 for the sources whose story other outlets ran too."""
    row = []
    if shown.answer.citations:
        label = f"📄 {words(shown.answer.question)['button']}"
        row.append(InlineKeyboardButton(label, callback_data=ShowQuotes(shown)))
    row.append(InlineKeyboardButton("👍 ✓" if vote is True else "👍", callback_data=Vote(shown, up=True)))
    row.append(InlineKeyboardButton("👎 ✓" if vote is False else "👎", callback_data=Vote(shown, up=False)))
    told = [(c.n, c.article_id) for c in shown.answer.citations if c.copies]  # by other outlets too
    stories = pickup_row(told, question_language(shown.answer.question))
    return InlineKeyboardMarkup([row, stories] if stories else [row])


def page_keyboard(search: SearchPages, number: int) -> InlineKeyboardMarkup | None:
    """« and » around page ``number`` (when there is more than one), 📰 for the page's stories told by
    other outlets too, and 📚 when copies of a story were left out; None when none of them."""
    pages = len(search.pages)
    rows = []
    row = []
    if number > 0:
        row.append(InlineKeyboardButton(f"« {number}/{pages}", callback_data=Page(search, number - 1)))
    if number < pages - 1:
        row.append(InlineKeyboardButton(f"{number + 2}/{pages} »", callback_data=Page(search, number + 1)))
    if row:
        rows.append(row)
    if number < len(search.stories) and search.stories[number]:  # 📰 under the page, above 📚
        rows.append(pickup_row(search.stories[number], question_language(search.query)))
    if search.request is not None and search.total:  # 📎 the results as a CSV document (above 📚)
        rows.append([InlineKeyboardButton("📎 CSV", callback_data=ExportCsv(search.request))])
    if search.grouped and search.request is not None:
        label = f"📚 {words(search.query)['all_copies']}"
        rows.append([InlineKeyboardButton(label, callback_data=AllCopies(search))])
    return InlineKeyboardMarkup(rows) if rows else None


def drop_keyboard(query: CallbackQuery, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Forget the pressed keyboard's data: the press replaced the keyboard, its buttons are gone from the
    message (nothing to do when a press of its other button dropped it already)."""
    with contextlib.suppress(KeyError):
        context.drop_callback_data(query)
