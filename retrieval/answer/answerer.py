"""``compose``: a question in, a cited answer out (offline extractive, or an LLM when configured).

    Answerer(retriever).ask("who represents the US in Paris?") -> Answer

The same ``ask`` serves ``newsbot ask``, ``newsbot eval`` and the Telegram bot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Protocol

from retrieval.answer.compose import abstain, compose_offline
from retrieval.answer.relevance import AbstainPolicy
from retrieval.errors import AnswerError
from retrieval.records import Answer, SearchFilters
from retrieval.search.searcher import Retriever, SearchResult

log = logging.getLogger(__name__)


class LLMComposer(Protocol):
    def compose(self, question: str, result: SearchResult, fallback: Answer) -> Answer: ...


@dataclass
class Answerer:
    retriever: Retriever
    policy: AbstainPolicy
    llm: LLMComposer | None = None
    k: int = 5

    def search(self, question: str, filters: SearchFilters | None = None) -> SearchResult:
        return self.retriever.search(question, self.k, filters)

    def ask(self, question: str, filters: SearchFilters | None = None) -> Answer:
        result = self.search(question, filters)
        return self.answer(question, result)

    def answer(self, question: str, result: SearchResult) -> Answer:
        if not result.passages or self.policy.should_abstain(result):
            since, until = self.retriever.archive.date_range
            return replace(abstain(question, result.language, since, until), passages=tuple(result.passages))
        cross = result.language != self.retriever.config.archive_language
        offline = compose_offline(question, result.passages, result.language, cross_language=cross)
        if self.llm is None:
            return offline
        try:
            return self.llm.compose(question, result, offline)
        except AnswerError as exc:
            log.warning("LLM endpoint failed, answering offline: %s", exc)
            return replace(offline, note="the language model did not answer; this answer quotes the archive")
