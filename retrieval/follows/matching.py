"""Which new articles match which follows: each new article against every follow at once.

    matcher = FollowMatcher(store, embeddings, max_chars=500)
    for alerts in matcher.steps(follows, store.ingested_after(cursor)):   # one unit of work a step
        ...
    alerts = match_follows(matcher, follows, new)                          # or all steps at once

A follow matches an article when its filters, its operators (``"phrase"``, ``-word``, ``A OR B``, on the
whole article: :mod:`retrieval.search.qualifying`) and its ``who:`` name (the article names that entity:
its record's entities) admit it, and a passage of it (the paragraph around a chunk, as search shows it) is a
``strong`` match for the follow's words, by the rule answers use
(:func:`retrieval.answer.relevance.match_strength`, from the same parts of
:mod:`retrieval.answer.coverage`): it mentions every word of a keyword follow (inflected, or an English
name by its transcription) or every name and number of a longer one, or its dense similarity to the
words reaches the threshold. Only that verdict is made (telling the weaker grades apart, as
``match_strength`` does, cost as much again), and the words asked for are read once per follow's words,
not per passage. The fused score and the abstention model are not used: they standardise over the
candidates, and a handful of new articles is no sample to standardise over. A follow's words are cut like
a question's (:func:`retrieval.answer.answerer.shorten_question`), whatever was stored.
A follow of a ``who:`` name alone (``/follow кто:Путин``) alerts on every new article that names that
entity, in any form, with its paragraph closest to the name.

How a round scales, for F follows with U distinct words among them and A new articles of C chunks in all:

- the model: nothing. A follow's query vector is made once, when it begins (:meth:`FollowMatcher.vector`,
  kept with the follow in the store); only a follow stored without one (made by an older version, or
  under another model) is embedded, once per process, in the round's first steps. Nothing per article
  either: an article's chunk vectors are read from the store, one read by id per article;
- arithmetic: per article one product of the (U x d) follows' vectors and its chunks' (d x c), i.e.
  U x C dot products in all, vectorised;
- text: the mention rule for each distinct words that similarity did not match already and that name
  something, against each paragraph of the article: at most U x C checks of tens of microseconds
  (an English name against a Russian paragraph is compared by transcription with each of its words).

So a round costs O(U x C) cheap work and no model call, where matching follow by follow with a search each
(a model pass, store reads and scoring per follow and batch) would cost O(F x A) searches
(``bench/alerts.py`` prints the figures).

A round is taken in steps (:meth:`FollowMatcher.steps`): a follow's words embedded when it came without a
vector, then one article matched per step. The caller decides between two steps whether to go on (the bot
stops there when it is stopping, and runs each step in a worker thread, so that questions are served
between them); the model calls are background work (:meth:`NewsEmbeddings.in_background`): a question's
call goes first.

The threshold (:data:`FOLLOW_THRESHOLD`) is calibrated by ``bench/follows.py`` on the development set:
each question stands for a follow, its article for a new article that should alert and other articles
for ones that should not; it is the lowest similarity whose false alarms exceed those of the mention rule
alone by at most 0.15 points (a chat that follows a topic reads every false alarm; a missed article is
still found by /ask).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from retrieval.answer.answerer import shorten_question
from retrieval.answer.coverage import key_terms, keywords, mentions_all
from retrieval.embeddings import NewsEmbeddings
from retrieval.follows.store import Follow
from retrieval.records import ArticleInfo, Chunk, Passage
from retrieval.search.named import UnknownName, named_entities
from retrieval.search.operators import OperatorError, Operators, parse_operators
from retrieval.search.passages import paragraph, passage
from retrieval.search.searcher import SearchConfig
from retrieval.store.chunks import ChunkStore
from retrieval.store.entities import article_facts
from retrieval.store.fingerprints import article_text

FOLLOW_THRESHOLD = 0.835
"""The dense similarity at which a passage matches a follow without mentioning its words. bench/follows.py,
multilingual-e5-small, 480 dev follows in batches of 10 new articles: the mention rule alone alerts on 1.16%
of unrelated articles; 0.835 brings that to 1.27% and alerts on 83% of the follows' own articles (xquad ru
96%, en 61%; English headlines 91%, sentences 85%); 0.87 would give 1.18% and 64%."""


@dataclass(frozen=True, slots=True)
class Alert:
    """A new article that matches a follow, with its best passage."""

    follow: Follow
    article: ArticleInfo
    passage: Passage


def operators_of(words: str) -> Operators:
    """A follow's operators (none for words stored before they could be read: they rank as they are)."""
    try:
        return parse_operators(words)
    except OperatorError:
        return Operators(words)


def ranked(words: str) -> str:
    """The words of a follow that its passages are matched by: an exact phrase's, not those left out."""
    operators = operators_of(words)
    return operators.text if operators.any else words


def asked_in(words: str) -> list[str]:
    """What a passage must mention to match a follow of ``words``: every word of a keyword follow, else
    every name and number (none: only similarity can match)."""
    return keywords(words) or key_terms(words)


def matches(words: str, passage: Passage, threshold: float = FOLLOW_THRESHOLD) -> bool:
    """Whether ``passage`` matches a follow of ``words`` strongly (see the module docstring)."""
    return passage.similarity >= threshold or mentioned(asked_in(words), passage)


def mentioned(asked: list[str], passage: Passage) -> bool:
    return bool(asked) and mentions_all(asked, passage.chunk.text)


class FollowMatcher:
    """Matches new articles against all follows of an archive, keeping each follow's query vector."""

    def __init__(
        self,
        store: ChunkStore,
        embeddings: NewsEmbeddings,
        *,
        max_chars: int,
        threshold: float = FOLLOW_THRESHOLD,
        config: SearchConfig | None = None,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.max_chars = max_chars
        self.threshold = threshold
        self.config = config or SearchConfig()
        self._vectors: dict[str, np.ndarray] = {}
        """Query vectors by (cut) words: those of the follows of the last round, nothing else."""
        self._named: dict[str, set[str]] = {}
        """The entity ids of the follows' ``who:`` names, as resolved in this round."""

    def words(self, follow: Follow) -> str:
        """The words a follow is matched by: cut as a question is (a ``who:`` name alone: the name)."""
        return shorten_question(follow.words.strip() or follow.filters.who, self.max_chars)

    @property
    def model_id(self) -> str:
        return self.embeddings.model_id

    def vector(self, words: str) -> np.ndarray:
        """The query vector of a follow of these (cut) words, to keep with it: one model call (of the
        words that rank: an exact phrase's, not those left out)."""
        return np.asarray(self.embeddings.embed_question(ranked(words)), np.float32)

    def steps(self, follows: Sequence[Follow], new: Sequence[ArticleInfo]) -> Iterator[list[Alert]]:
        """One round in steps: each words without a vector yet (one model call; yields no alerts), then
        each of the ``new`` articles in turn (yields its alerts: per follow begun before the article was
        switched in that it matches, with the best passage). Between two steps nothing is held: the
        caller may stop taking them."""
        live = [f for f in follows if self.words(f)]
        self._named = {}  # resolved again each round: names filed since count
        wanted = {self.words(f) for f in live}
        self._vectors = {w: v for w, v in self._vectors.items() if w in wanted}
        for f in live:  # the vector made when the follow began, when it is of these words and this model
            if f.vector is not None and f.vector_model == self.model_id and self.words(f) == f.words:
                self._vectors.setdefault(f.words, f.vector)
        for words in sorted(wanted - self._vectors.keys()):
            with self.embeddings.in_background():  # a question waiting for the model goes first
                self._vectors[words] = self.vector(words)
            yield []
        for article in new:
            yield self.match_article(live, article)

    def match_article(self, follows: Sequence[Follow], article: ArticleInfo) -> list[Alert]:
        """The alerts of one new article: the follows it matches (embedded already, see :meth:`steps`)
        among those begun before it was switched in and whose filters admit it, in their order."""
        begun = [
            f for f in follows if (article.ingested or 0.0) > f.created and self.words(f) in self._vectors
        ]
        stored = self.store.article_chunks(article) if begun else []
        if not stored:
            return []
        chunks = [c.chunk for c in stored]
        admitted = [f for f in begun if f.filters.empty or f.filters.matches(chunks[0])]
        admitted = self.qualifying(admitted, article, chunks)
        distinct = list(dict.fromkeys(self.words(f) for f in admitted))
        if not distinct:
            return []
        queries = np.stack([self._vectors[w] for w in distinct])
        similarity = queries @ np.stack([np.asarray(c.vector, np.float32) for c in stored]).T
        shown = _Paragraphs(chunks, self.config)
        anyway = {self.words(f) for f in admitted if not f.words.strip()}  # who: alone: every article
        best: dict[str, Passage] = {}
        closest: dict[str, Passage] = {}  # of a who: name alone that no paragraph matches strongly
        for row, words in enumerate(distinct):
            found = self._best_passage(words, similarity[row], shown)
            if found is not None:
                best[words] = replace(found, origin=article.origin)
            elif words in anyway:
                top = int(np.argmax(similarity[row]))
                closest[words] = replace(
                    shown.around(top, float(similarity[row][top])), origin=article.origin
                )
        alerts = []
        for f in admitted:
            found = best.get(self.words(f)) or (None if f.words.strip() else closest.get(self.words(f)))
            if found is not None:
                alerts.append(Alert(f, article, found))
        return alerts

    def qualifying(
        self, follows: Sequence[Follow], article: ArticleInfo, chunks: Sequence[Chunk]
    ) -> list[Follow]:
        """Those of ``follows`` whose operators the article's whole text passes and whose ``who:`` entity
        it names (:mod:`retrieval.search.qualifying`; the article's record read only for a ``who:``)."""
        text = article_text(chunks) if any(operators_of(self.words(f)).any for f in follows) else ""
        named: set[str] | None = None
        if any(f.filters.who for f in follows):
            facts = article_facts(self.store.collections.articles(), [article.id])
            named = set(facts[article.id].entities) if article.id in facts else set()
        kept = []
        for f in follows:
            operators = operators_of(self.words(f))
            if operators.any and not operators.qualifies(text):
                continue
            if f.filters.who and named is not None and not self._names(f.filters.who) & named:
                continue
            kept.append(f)
        return kept

    def _names(self, who: str) -> set[str]:
        """The entity ids a ``who:`` name means (none when no article names it), resolved once a round."""
        if who not in self._named:
            try:
                self._named[who] = set(named_entities(self.store.collections.entities(), who))
            except UnknownName:
                self._named[who] = set()
        return self._named[who]

    def _best_passage(self, words: str, similarity: np.ndarray, shown: _Paragraphs) -> Passage | None:
        """The passage of the article that matches ``words``: around the most similar chunk when that
        reaches the threshold, else the most similar paragraph that mentions the words (None: none)."""
        order = [int(i) for i in np.argsort(-similarity, kind="stable")]
        top = order[0]
        if similarity[top] >= self.threshold:
            return shown.around(top, float(similarity[top]))
        asked = asked_in(ranked(words))
        if not asked:
            return None
        seen: set[tuple[int, int]] = set()
        for i in order:
            span = shown.span(i)
            if span in seen:
                continue
            seen.add(span)
            candidate = shown.around(i, float(similarity[i]))
            if mentioned(asked, candidate):
                return candidate
        return None


class _Paragraphs:
    """The passages of one article's chunks (each chunk's paragraph, as search shows it), made once."""

    def __init__(self, chunks: Sequence[Chunk], config: SearchConfig) -> None:
        self.chunks = list(chunks)
        self.config = config
        self._by_index = {c.index: c for c in chunks}
        self._spans: dict[int, tuple[int, int]] = {}
        self._passages: dict[int, Passage] = {}

    def span(self, i: int) -> tuple[int, int]:
        """The first and last chunk index of the paragraph around the ``i``-th chunk."""
        if i not in self._spans:
            cfg = self.config
            self._spans[i] = paragraph(
                self.chunks[i], self._by_index.get, cfg.passage_chars, cfg.passage_min_chars
            )
        return self._spans[i]

    def around(self, i: int, similarity: float) -> Passage:
        """The paragraph around the ``i``-th chunk as a passage (focused on it) of this similarity."""
        if i not in self._passages:
            first, last = self.span(i)
            self._passages[i] = passage(self.chunks[i], first, last, self._by_index.get, 0.0)
        return replace(self._passages[i], score=similarity, similarity=similarity)


def match_follows(
    matcher: FollowMatcher, follows: Sequence[Follow], new: Sequence[ArticleInfo]
) -> list[Alert]:
    """Every follow's alerts among ``new``, article by article (all of :meth:`FollowMatcher.steps`)."""
    return [alert for step in matcher.steps(follows, new) for alert in step]
