"""The archive as the edges ask it: passages for a query, a cited answer for a question, its figures.

    answerer = Answerer(Searcher(store, embeddings), AbstainPolicy.for_model(embeddings.model_id))
    answerer.ask("who represents the US in Paris?") -> Answer
    answerer.search("Уиткофф", 5) -> SearchResult
    answerer.overview() -> Overview (articles, chunks, date range, outlets)

The same calls serve ``newsbot ask`` / ``search`` / ``eval`` and the Telegram bot; answers are composed
offline (quotes) or by an LLM when one is configured.

A question or query longer than ``max_question_chars`` is cut at a word boundary first: the model's time
grows with the text (a 4,096-character question took 12-27 s, all of it in the dense and sparse passes),
and the answer's note says so.
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol, runtime_checkable

from retrieval.answer.compose import abstain, compose_offline
from retrieval.answer.relevance import AbstainPolicy, search_strengths
from retrieval.answer.thread import Thread
from retrieval.errors import AnswerError
from retrieval.records import Answer, SearchFilters, StoreStats
from retrieval.search.filters import undated_left_out
from retrieval.search.operators import OperatorError, as_prose, parse_operators, unquoted
from retrieval.search.searcher import Searcher, SearchResult, question_language
from retrieval.store.chunks import ChunkStore
from retrieval.terms import KEY_PREFIX, name_keys, query_key_groups

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
ENGLISH_MENTIONS = 50
"""Chunks read from the name index for the English spelling of a short answer's names."""
SHORTENED = {
    "ru": "вопрос сокращён до первых {n} символов",
    "en": "the question was shortened to its first {n} characters",
}


UNQUOTED = {
    "ru": "ни одна статья не содержит фразу в кавычках дословно; ответ по её словам в любой форме",
    "en": "no article holds the quoted phrase as written; answered from its words in any form",
}


def shorten_question(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else its beginning cut at a word boundary."""
    if len(text) <= limit:
        return text
    return textwrap.shorten(text, width=limit, placeholder="") or text[:limit]


class LLMComposer(Protocol):
    def compose(self, question: str, result: SearchResult, fallback: Answer) -> Answer: ...


@runtime_checkable
class FollowUpRewriter(Protocol):
    def rewrite(self, earlier: Sequence[str], followup: str, limit: int) -> str: ...


@dataclass(frozen=True, slots=True)
class Overview:
    """What the archive holds, in a few figures (``/start``, ``/help``, filters)."""

    articles: int
    chunks: int
    since: date | None
    until: date | None
    sources: tuple[str, ...]


@dataclass
class Answerer:
    searcher: Searcher
    policy: AbstainPolicy
    llm: LLMComposer | None = None
    rewriter: FollowUpRewriter | None = None
    k: int = 5
    max_question_chars: int = MAX_QUESTION_CHARS

    @property
    def store(self) -> ChunkStore:
        return self.searcher.store

    def bounded(self, text: str) -> str:
        """What :meth:`ask` and :meth:`search` make of ``text``: cut to ``max_question_chars``."""
        return shorten_question(text, self.max_question_chars)

    def search(
        self,
        query: str,
        k: int | None = None,
        filters: SearchFilters | None = None,
        prior: Sequence[str] = (),
        *,
        all_copies: bool = False,
    ) -> SearchResult:
        """Passages for ``query`` (:meth:`bounded`), best first, each with its :func:`search_strengths`
        (``prior``, ``all_copies``: see :meth:`Searcher.search`)."""
        query = self.bounded(query)
        result = self.searcher.search(query, k or self.k, filters, prior, all_copies=all_copies)
        floor = self.policy.dense_floor(result.language)
        refused = self.policy.should_abstain(result)
        labels = search_strengths(result, floor, refused)
        marked = [replace(p, strength=label) for p, label in zip(result.passages, labels, strict=True)]
        return replace(result, passages=marked, refused=refused)

    def ask(
        self,
        question: str,
        filters: SearchFilters | None = None,
        thread: Thread | None = None,
        *,
        all_copies: bool = False,
    ) -> Answer:
        """The answer to ``question`` (:meth:`bounded`; when it was cut, the note says so), read as a
        follow-up of ``thread`` when one is given (see :meth:`follow_up`); each story is drawn on once,
        by its best article, unless ``all_copies`` (:meth:`Searcher.search`)."""
        asked = self.bounded(question)
        if thread is not None and thread.turns:
            answer = self.follow_up(asked, filters, thread)
        else:
            answer = self.answer_operators(asked, filters, all_copies=all_copies)
        shortened = self.shortened(question)
        if not shortened:
            return answer
        return replace(answer, note="; ".join(n for n in (shortened, answer.note) if n))

    def answer_operators(
        self, question: str, filters: SearchFilters | None, *, all_copies: bool = False
    ) -> Answer:
        """The answer to a question that may hold operators, read as a question first: quotes or an
        OR that cannot be read as operators are its words (a title quoted 'Какой сериал "Доктора
        Кто»…'); when no article holds a quoted phrase as written and the answer would say the
        archive does not cover it, the phrase's words are searched in any form, and the note says so
        (natural questions quote titles in another form or language than the article's)."""
        try:
            parse_operators(question)
        except OperatorError:
            return self.answer(
                question, self.search(as_prose(question), self.k, filters, all_copies=all_copies)
            )
        answer = self.answer(question, self.search(question, self.k, filters, all_copies=all_copies))
        loose = unquoted(question)
        if not answer.abstained or loose == question:
            return answer
        retry = self.answer(question, self.search(loose, self.k, filters, all_copies=all_copies))
        if retry.abstained:
            return answer
        return replace(retry, note=UNQUOTED[question_language(question)])

    def follow_up(self, question: str, filters: SearchFilters | None, thread: Thread) -> Answer:
        """A follow-up that stands on its own is answered as it is: it names something (a name, a
        number: "what about Gaza?", "какая ставка ЦБ?") and, asked alone, strongly matches an article.
        Otherwise it continues the thread: with an LLM it is rewritten into a question of its own;
        offline it is read after the thread's questions. Either way the articles the thread cited are
        candidates with a prior. (On 58 follow-up pairs of the dev archive, ``tests/data/followups.jsonl``,
        an elliptic follow-up asked alone is often answered, confidently and wrongly: being answered is
        no sign that it stands on its own.)"""
        alone = self.search(question, self.k, filters)
        own = alone.passages[0] if alone.passages else None
        if (
            own is not None
            and own.strength == "strong"
            and query_key_groups(question)
            and not self.refuses(alone)
        ):
            return self.answer(question, alone)
        if self.rewriter is not None:
            try:
                earlier = [turn.question for turn in thread.turns]
                rewritten = self.rewriter.rewrite(earlier, question, self.max_question_chars)
            except AnswerError as exc:
                log.warning("LLM endpoint failed to rewrite a follow-up, reading it offline: %s", exc)
            else:
                result = self.search(rewritten, self.k, filters, prior=thread.articles)
                return replace(self.answer(rewritten, result), question=question, read_as=rewritten)
        read_as = thread.in_light_of(question, self.max_question_chars)
        result = self.search(read_as, self.k, filters, prior=thread.articles)
        return replace(self.answer(read_as, result, asked=question), question=question)

    def shortened(self, text: str) -> str:
        """What to tell the asker when :meth:`bounded` cuts ``text`` (empty when it is kept whole)."""
        kept = self.bounded(text)
        return "" if kept == text else SHORTENED[question_language(kept)].format(n=len(kept))

    def answer(self, question: str, result: SearchResult, *, asked: str | None = None) -> Answer:
        """The answer to ``question`` from ``result``; ``asked``: the question as the reader put it, when
        ``question`` is a follow-up read in the light of its thread (what a short answer answers)."""
        if not result.passages or self.refuses(result):
            since, until = self.searcher.stats().date_range
            return replace(abstain(question, result.language, since, until), passages=tuple(result.passages))
        cross = result.language != self.searcher.config.archive_language
        offline = compose_offline(
            question,
            result.passages,
            result.language,
            cross_language=cross,
            asked=asked,
            spellings=self.english_mentions,
        )
        if self.llm is None:
            return offline
        try:
            return self.llm.compose(question, result, offline)
        except AnswerError as exc:
            log.warning("LLM endpoint failed, answering offline: %s", exc)
            return replace(offline, note="the language model did not answer; this answer quotes the archive")

    def refuses(self, result: SearchResult) -> bool:
        """Whether to say the archive does not cover ``result``'s question (as :meth:`search` judged)."""
        return result.refused if result.refused is not None else self.policy.should_abstain(result)

    def english_mentions(self, text: str) -> list[str]:
        """The archive's English passages that mention names of ``text`` by the same consonant keys
        ("Witkoff" for "Уиткофф"), from the name index: two reads, for a short answer's spelling."""
        keys = [k for k in name_keys(text) if k.startswith(KEY_PREFIX)]
        if not keys:
            return []
        found = self.store.chunks(list(self.store.keyed(keys, ENGLISH_MENTIONS))[:ENGLISH_MENTIONS])
        return [c.chunk.text for c in found.values() if question_language(c.chunk.text) == "en"]

    def outlets(self) -> tuple[str, ...]:
        """The outlets the archive holds, as of the latest ingestion (what source filters match)."""
        return self.searcher.stats().outlets

    def undated_left_out(self, filters: SearchFilters | None) -> int | None:
        """How many articles without a date ``filters`` leave out (0 without a date filter; None when the
        archive's figures predate that count), from the archive's figures."""
        return undated_left_out(filters, self.searcher.stats())

    def overview(self) -> Overview:
        stats = self.searcher.stats()
        since, until = stats.date_range
        return Overview(stats.articles, stats.chunks, since, until, stats.outlets)

    def stats(self) -> StoreStats:
        return self.store.stats()
