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

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from retrieval.records import ArticleInfo, Chunk, SearchFilters
from retrieval.search.mentions import Term as MentionTerm
from retrieval.search.mentions import mention_terms
from retrieval.search.named import named_articles, named_entities
from retrieval.search.operators import Operators, parse_operators
from retrieval.store.chunks import ChunkStore
from retrieval.store.shapes import chunk_id


def article_text(chunks: Iterable[Chunk]) -> str:
    """An article's text put back together from its chunks (each ``text[start:end]`` of it; chunks
    that overlap give the shared part once, a gap between two is a space)."""
    parts: list[str] = []
    end = 0
    for c in sorted(chunks, key=lambda c: (c.start, c.end)):
        if c.end <= end:
            continue
        if c.start > end and parts:
            parts.append(" ")
        parts.append(c.text[max(0, end - c.start) :])
        end = c.end
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Qualifying:
    """What an article must pass: the ``operators``, and be among the ``named`` articles (None: any)."""

    operators: Operators
    named: frozenset[str] | None = None

    @property
    def any(self) -> bool:
        return self.operators.any or self.named is not None

    def articles(self, store: ChunkStore, article_ids: Sequence[str]) -> set[str]:
        """Those of ``article_ids`` that qualify (their visible versions' texts read by id when the
        operators need them)."""
        ids = [a for a in dict.fromkeys(article_ids) if self.named is None or a in self.named]
        if not self.operators.any or not ids:
            return set(ids)
        infos = store.article_infos(ids).values()
        return {aid for aid, text in texts(store, infos) if self.operators.qualifies(text)}


def texts(store: ChunkStore, infos: Collection[ArticleInfo]) -> list[tuple[str, str]]:
    """(article id, its text) of each article of ``infos``, in the version each describes: one read."""
    ids = [chunk_id(i.id, i.content_hash, n) for i in infos for n in range(i.chunks)]
    by_article: dict[str, list[Chunk]] = {}
    for stored in store.chunks(ids).values():
        by_article.setdefault(stored.chunk.article_id, []).append(stored.chunk)
    return [(aid, article_text(chunks)) for aid, chunks in by_article.items()]


def check(store: ChunkStore, words: str, filters: SearchFilters) -> None:
    """What a query's qualifying needs, checked before it is kept (a follow): its operators can be read
    (OperatorError) and its ``who:`` name is named in the archive (UnknownName, with the nearest names);
    both are FilterErrors."""
    parse_operators(words)
    if filters.who:
        named_entities(store.collections.entities(), filters.who)


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
