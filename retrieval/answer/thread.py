"""A conversation's thread: the earlier questions of one chat (or one user in a group) and the articles
their answers cited, so that a follow-up ("and who hosts the meeting?", "а когда?") is read in their
light.

    thread = Thread().continued(answer)           # after each answer
    answerer.ask("and who hosts it?", thread=thread)

A thread is bounded: its latest :data:`MAX_TURNS` turns, each with at most :data:`MAX_ARTICLES` cited
articles. It is plain data (the bot keeps it per chat, persisted, and drops it after a while).
"""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.records import Answer

MAX_TURNS = 3
MAX_ARTICLES = 3
CONTEXT_TURNS = 2


@dataclass(frozen=True, slots=True)
class Turn:
    question: str
    article_ids: tuple[str, ...]
    """The articles the answer cited, first cited first."""


@dataclass(frozen=True, slots=True)
class Thread:
    turns: tuple[Turn, ...] = ()

    def continued(self, answer: Answer) -> Thread:
        """This thread with ``answer``'s question and citations as its latest turn (an abstention
        adds its question with no articles)."""
        cited = tuple(dict.fromkeys(c.article_id for c in answer.citations))[:MAX_ARTICLES]
        return Thread((*self.turns, Turn(answer.question, cited))[-MAX_TURNS:])

    @property
    def articles(self) -> tuple[str, ...]:
        """The cited articles, the latest turn's first."""
        return tuple(dict.fromkeys(a for turn in reversed(self.turns) for a in turn.article_ids))

    def in_light_of(self, followup: str, limit: int) -> str:
        """The follow-up after the latest two questions (whose terms carry its subject), in at most
        ``limit`` characters: the earliest words go first."""
        earlier = " ".join(turn.question for turn in self.turns[-CONTEXT_TURNS:])
        room = limit - len(followup) - 1
        if not earlier or room <= 0:
            return followup
        return f"{earlier[-room:].split(' ', 1)[-1] if len(earlier) > room else earlier} {followup}"
