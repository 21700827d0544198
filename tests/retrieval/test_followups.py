"""Follow-up questions read in the light of the conversation's thread (sample archive, bundled model)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest

from retrieval.answer.answerer import Answerer
from retrieval.answer.llm import REWRITE_PROMPT, OpenAICompatibleComposer
from retrieval.answer.support import Support
from retrieval.answer.thread import MAX_TURNS, Thread
from retrieval.records import Answer, Citation
from tests.emulators.openai_api import OpenAIEmulator


def test_an_elliptic_follow_up_is_answered_from_the_threads_article(answerer: Answerer) -> None:
    first = answerer.ask("who represents the US in Paris?")
    assert first.citations[0].article_id == "paris-talks.txt"
    thread = Thread().continued(first)

    followup = answerer.ask("and who hosts the meeting?", thread=thread)

    assert followup.question == "and who hosts the meeting?"
    assert followup.citations[0].article_id == "paris-talks.txt"
    assert "Макрон" in followup.text


def test_a_follow_up_naming_a_new_subject_leaves_the_thread(answerer: Answerer) -> None:
    thread = Thread().continued(answerer.ask("who represents the US in Paris?"))

    answer = answerer.ask("Когда планируют открыть станцию «Тульская»?", thread=thread)

    assert answer.citations[0].url == "https://example.org/news/kazan-metro-sukno"
    assert "2028" in answer.text


def test_without_a_thread_the_same_words_are_a_question_of_their_own(answerer: Answerer) -> None:
    alone = answerer.ask("and who hosts the meeting?")
    threaded = answerer.ask("and who hosts the meeting?", thread=Thread())
    assert [c.article_id for c in alone.citations] == [c.article_id for c in threaded.citations]


def _answer(question: str, *articles: str) -> Answer:
    citations = tuple(Citation(n, a, a, None, None, None, "") for n, a in enumerate(articles, 1))
    return Answer(question, "", abstained=not articles, citations=citations)


def test_a_thread_keeps_its_latest_turns_and_their_cited_articles_latest_first() -> None:
    thread = Thread()
    for i in range(MAX_TURNS + 2):
        thread = thread.continued(_answer(f"q{i}", f"a{i}", "shared"))
    assert [t.question for t in thread.turns] == [f"q{i}" for i in range(2, MAX_TURNS + 2)]
    assert thread.articles[0] == f"a{MAX_TURNS + 1}" and thread.articles.count("shared") == 1
    assert thread.continued(_answer("nothing found")).turns[-1].article_ids == ()


def test_the_follow_up_keeps_its_words_whole_and_the_earlier_ones_yield() -> None:
    thread = Thread().continued(_answer("who represents the United States at the Paris talks?", "a"))
    assert (
        thread.in_light_of("and when?", 500)
        == "who represents the United States at the Paris talks? and when?"
    )
    cut = thread.in_light_of("and when?", 30)
    assert cut.endswith(" and when?") and len(cut) <= 30 and "talks?" in cut
    assert thread.in_light_of("x" * 40, 30) == "x" * 40


@pytest.fixture
def emu() -> Iterator[OpenAIEmulator]:
    with OpenAIEmulator(api_key="test-key", model="emu-model") as e:
        yield e


def macron_cited(messages: list[dict[str, Any]]) -> str:
    """What a model answers given the sources: the sentence about the host, citing its source."""
    sources = re.findall(r'<source n="(\d+)">(.*?)</source>', messages[-1]["content"], re.DOTALL)
    n = next(n for n, text in sources if "Макрон" in text)
    return f"Встречу принимает президент Франции Эммануэль Макрон [{n}]."


def _with_llm(answerer: Answerer, emu: OpenAIEmulator) -> Answerer:
    settings = SimpleNamespace(
        llm_base_url=emu.base_url, llm_model="emu-model", llm_api_key="test-key", llm_timeout=5.0
    )
    llm = OpenAICompatibleComposer.from_settings(settings, Support())
    return replace(answerer, llm=llm, rewriter=llm)


def test_with_an_llm_the_follow_up_is_rewritten_shown_and_answered(
    answerer: Answerer, emu: OpenAIEmulator
) -> None:
    def reply(messages: list[dict[str, Any]]) -> str:
        if messages[0]["content"] == REWRITE_PROMPT:
            return "Rewritten question: «Who hosts the Paris meeting on Ukraine's security guarantees?»"
        return macron_cited(messages)

    emu.reply_with(reply)
    llm_answerer = _with_llm(answerer, emu)
    thread = Thread().continued(answerer.ask("who represents the US in Paris?"))

    answer = llm_answerer.ask("and who hosts it?", thread=thread)

    assert answer.read_as == "Who hosts the Paris meeting on Ukraine's security guarantees?"
    assert answer.question == "and who hosts it?" and answer.mode == "llm", answer
    assert answer.citations[0].article_id == "paris-talks.txt" and "Макрон" in answer.text
    rewrite_request = next(r for r in emu.requests if r.body["messages"][0]["content"] == REWRITE_PROMPT)
    asked = rewrite_request.body["messages"][1]["content"]
    assert "1. who represents the US in Paris?" in asked and asked.endswith(
        "Last question: and who hosts it?"
    )


def test_when_the_rewrite_fails_the_follow_up_is_read_offline(
    answerer: Answerer, emu: OpenAIEmulator
) -> None:
    emu.reply_with(macron_cited)
    thread = Thread().continued(answerer.ask("who represents the US in Paris?"))
    emu.fail_next(status=500, times=2)  # the rewrite and the client's one retry

    answer = _with_llm(answerer, emu).ask("and who hosts the meeting?", thread=thread)

    assert answer.read_as is None
    assert answer.citations[0].article_id == "paris-talks.txt" and "Макрон" in answer.text
