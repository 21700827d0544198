"""Follow-up questions read in the light of the conversation's thread (sample archive, bundled model)."""

from __future__ import annotations

from retrieval.answer.answerer import Answerer
from retrieval.answer.thread import MAX_TURNS, Thread
from retrieval.records import Answer, Citation


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
