"""Answers and passages as JSON-ready dicts (``ask --json``, ``search --json``, eval details)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from retrieval.entities.index import Entity
from retrieval.records import Answer, Citation, Passage, ShortAnswer


class _Article(Protocol):
    """What a chunk, a copy and a citation each say of their article."""

    @property
    def article_id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def date(self) -> date | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...


def article_json(a: _Article) -> dict[str, Any]:
    """The article a passage, a citation or one of their copies ("also in") points to."""
    return {
        "article_id": a.article_id,
        "title": a.title,
        "date": a.date.isoformat() if a.date else None,
        "url": a.url,
        "source": a.source,
    }


def passage_json(p: Passage, names: Mapping[str, Entity] | None = None) -> dict[str, Any]:
    """A passage as ``search --json`` gives it; with ``names`` (its entities' records), the people,
    organisations and places its article names, ``entities: [{"name", "kind"}]``."""
    c = p.chunk
    named = {"entities": [_entity(names[e]) for e in p.entities if e in names]} if names is not None else {}
    return {
        **article_json(c),
        "index": c.index,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "score": round(p.score, 5),
        "similarity": round(p.similarity, 5),
        "strength": p.strength or None,
        "also_in": [article_json(c) for c in p.copies],
        "also_in_more": p.more_copies,
        **named,
    }


def _entity(e: Entity) -> dict[str, str]:
    return {"name": e.name, "kind": e.kind}


def citation_json(c: Citation) -> dict[str, Any]:
    return {
        "n": c.n,
        **article_json(c),
        "quote": c.quote,
        "origin": c.origin,
        "also_in": [article_json(x) for x in c.copies],
        "also_in_more": c.more_copies,
    }


def short_answer_json(s: ShortAnswer | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"text": s.text, "original": s.original, "kind": s.kind, "citation": s.citation}


def answer_json(a: Answer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "question": a.question,
        "answer": a.text,
        "short_answer": short_answer_json(a.short),
        "abstained": a.abstained,
        "citations": [citation_json(c) for c in a.citations],
        "passages": [passage_json(p) for p in a.passages],
        "mode": a.mode,
    }
    if a.note:
        data["note"] = a.note
    if a.read_as:
        data["read_as"] = a.read_as
    return data
