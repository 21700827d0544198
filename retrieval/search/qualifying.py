"""Which articles qualify for a query's operators and its ``who:`` filter: decided per article, on the
whole article, never on the chunk that matched alone.

    rule = Qualifying(parse_operators('"Белый дом" -Китай'), named=None)
    rule.articles(store, ["a1", "a2"])   # -> {"a1"}: the visible articles among them that qualify

An article qualifies when its text (its title and every chunk of its visible version, put back together:
:func:`article_text`) passes :meth:`Operators.qualifies`, and, with ``who:``, when it is among the
articles that name the entity (:mod:`retrieval.search.named`). The texts are read by id, and only for a
query with operators: a query without any reads nothing more. A count (the timeline) finds its
candidates by the words each alternative of the query must mention (:func:`counted`), then keeps those
that qualify.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from retrieval.records import ArticleInfo, Chunk, SearchFilters
from retrieval.search.mentions import Term as MentionTerm
from retrieval.search.mentions import mention_terms
from retrieval.search.named import UnknownName, named_articles, named_entities
from retrieval.search.operators import Operators, parse_operators
from retrieval.store.candidates import StoredChunk
from retrieval.store.chunks import ChunkStore
from retrieval.store.fingerprints import article_text
from retrieval.store.shapes import chunk_id


@dataclass(frozen=True, slots=True)
class Qualifying:
    """What an article must pass: the ``operators``, and be among the ``named`` articles (None: any)."""

    operators: Operators
    named: frozenset[str] | None = None

    @property
    def any(self) -> bool:
        return self.operators.any or self.named is not None

    def articles(
        self, store: ChunkStore, article_ids: Sequence[str], at_hand: Sequence[StoredChunk] = ()
    ) -> set[str]:
        """Those of ``article_ids`` that qualify. The chunks ``at_hand`` (the candidates) decide an
        article when they can (one holds a word left out; or nothing is left out and they hold every
        group asked for); the others' visible versions are read whole, by id."""
        ids = [a for a in dict.fromkeys(article_ids) if self.named is None or a in self.named]
        if not self.operators.any or not ids:
            return set(ids)
        infos = store.article_infos(ids)
        known: dict[str, list[str]] = {}
        for c in at_hand:
            info = infos.get(c.chunk.article_id)
            if info is not None and c.version == info.content_hash:
                known.setdefault(info.id, []).append(c.chunk.text)
        decided = {aid: self.operators.decided(known[aid]) for aid in known}
        keep = {aid for aid, verdict in decided.items() if verdict}
        unread = [info for aid, info in infos.items() if decided.get(aid) is None]
        return keep | {aid for aid, text in texts(store, unread) if self.operators.qualifies(text)}


def texts(store: ChunkStore, infos: Collection[ArticleInfo]) -> list[tuple[str, str]]:
    """(article id, its text) of each article of ``infos``, in the version each describes: one read."""
    ids = [chunk_id(i.id, i.content_hash, n) for i in infos for n in range(i.chunks)]
    by_article: dict[str, list[Chunk]] = {}
    for stored in store.chunks(ids).values():
        by_article.setdefault(stored.chunk.article_id, []).append(stored.chunk)
    return [(aid, article_text(chunks)) for aid, chunks in by_article.items()]


def check(store: ChunkStore, words: str, filters: SearchFilters) -> UnknownName | None:
    """A query checked before it is kept (a follow): its operators can be read (else OperatorError, a
    FilterError); returned, the UnknownName of a ``who:`` name no article names yet (it may be followed:
    it resolves each round, and the first article to name it alerts)."""
    parse_operators(words)
    if filters.who:
        try:
            named_entities(store.collections.entities(), filters.who)
        except UnknownName as unknown:
            return unknown
    return None


class _Mentioning(Protocol):
    @property
    def article_id(self) -> str: ...


M = TypeVar("M", bound=_Mentioning)


def counted(
    store: ChunkStore,
    query: str,
    filters: SearchFilters | None,
    find: Callable[[list[MentionTerm]], Sequence[M]],
) -> tuple[list[MentionTerm], list[M]]:
    """What a count of ``query`` looks for (its words: NoWords when none) and the articles ``find``
    finds that qualify: those that mention the words of one of its :meth:`Operators.alternatives`
    (``A OR B``: either) and pass its operators on their whole text and ``filters.who``."""
    operators = parse_operators(query)
    filters = filters or SearchFilters()
    named = named_articles(store.collections.entities(), filters.who, filters) if filters.who else None
    rule = Qualifying(operators, named)
    if not rule.any:
        terms = mention_terms(query)
        return terms, list(find(terms))
    found: dict[str, M] = {}
    for words in operators.alternatives():
        for m in find(mention_terms(words)):
            found.setdefault(m.article_id, m)
    keep = rule.articles(store, list(found))
    return mention_terms(operators.text), [m for aid, m in found.items() if aid in keep]
