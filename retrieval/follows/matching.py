"""Which new articles match a follow: the follow's words searched among those articles alone.

    alerts = match_follows(searcher, follows, store.ingested_after(cursor), threshold)

A follow's words run through the same search as a question (:meth:`Searcher.search` with ``within``: the
candidates are the new articles' chunks only), and an article's best passage is judged with the strength
signal of answers (:func:`retrieval.answer.relevance.match_strength`): a match is ``strong``, i.e. the
passage mentions every word of a keyword follow (inflected, or an English name by its transcription) or
every name and number of a longer one, or its dense similarity reaches the threshold. The fused score and
the abstention model are not used: they standardise over the candidates, and a handful of new articles
is no sample to standardise over.

The threshold (:data:`FOLLOW_THRESHOLD`) is calibrated by ``bench/follows.py`` on the development set:
each question stands for a follow, its article for a new article that should alert and other articles
for ones that should not; it is the lowest similarity whose false alarms exceed those of the mention rule
alone by at most 0.15 points (a chat that follows a topic reads every false alarm; a missed article is
still found by /ask).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.answer.relevance import STRENGTH_MARGIN, match_strength
from retrieval.follows.store import Follow
from retrieval.records import ArticleInfo, Passage
from retrieval.search.searcher import Searcher

FOLLOW_THRESHOLD = 0.835
"""The dense similarity at which a passage matches a follow without mentioning its words. bench/follows.py,
multilingual-e5-small, 480 dev follows in batches of 10 new articles: the mention rule alone alerts on 1.16%
of unrelated articles; 0.835 brings that to 1.27% and alerts on 83% of the follows' own articles (xquad ru
96%, en 61%; English headlines 91%, sentences 85%); 0.87 would give 1.18% and 64%."""
ARTICLES_PER_SEARCH = 10
"""New articles searched at once for one follow (their chunks share the search's candidate pools)."""


@dataclass(frozen=True, slots=True)
class Alert:
    """A new article that matches a follow, with its best passage."""

    follow: Follow
    article: ArticleInfo
    passage: Passage


def matches(words: str, passage: Passage, threshold: float = FOLLOW_THRESHOLD) -> bool:
    """Whether ``passage`` matches a follow of ``words`` strongly (see the module docstring)."""
    return match_strength(words, passage, threshold - STRENGTH_MARGIN) == "strong"


def match_follow(
    searcher: Searcher, follow: Follow, new: Sequence[ArticleInfo], threshold: float = FOLLOW_THRESHOLD
) -> list[Alert]:
    """The articles of ``new`` switched in after the follow began that match it, each with its first
    matching passage, in the order of ``new``. A burst is searched :data:`ARTICLES_PER_SEARCH` articles
    at a time, so that each article's chunks reach the search's candidates."""
    fresh = {a.id: a for a in new if (a.ingested or 0.0) > follow.created}
    if not fresh or not follow.words.strip():
        return []
    ids = list(fresh)
    shown: dict[str, Passage] = {}
    for i in range(0, len(ids), ARTICLES_PER_SEARCH):
        part = ids[i : i + ARTICLES_PER_SEARCH]
        k = len(part) * searcher.config.per_article  # each article may bring all its passages
        for p in searcher.search(follow.words, k, follow.filters, within=part).passages:
            if p.article_id not in shown and matches(follow.words, p, threshold):
                shown[p.article_id] = p
    return [Alert(follow, fresh[aid], shown[aid]) for aid in ids if aid in shown]


def match_follows(
    searcher: Searcher,
    follows: Sequence[Follow],
    new: Sequence[ArticleInfo],
    threshold: float = FOLLOW_THRESHOLD,
) -> list[Alert]:
    """Every follow's alerts among ``new``, follow by follow."""
    return [alert for f in follows for alert in match_follow(searcher, f, new, threshold)]
