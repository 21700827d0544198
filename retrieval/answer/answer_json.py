"""Answers and passages as JSON-ready dicts (``ask --json``, ``search --json``, eval details)."""

from __future__ import annotations

from typing import Any

from retrieval.records import Answer, Citation, Copy, Passage, ShortAnswer


def passage_json(p: Passage) -> dict[str, Any]:
    c = p.chunk
    return {
        "article_id": c.article_id,
        "title": c.title,
        "date": c.date.isoformat() if c.date else None,
        "url": c.url,
        "source": c.source,
        "index": c.index,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "score": round(p.score, 5),
        "similarity": round(p.similarity, 5),
        "strength": p.strength or None,
        "also_in": [copy_json(c) for c in p.copies],
        "also_in_more": p.more_copies,
    }


def copy_json(c: Copy) -> dict[str, Any]:
    return {
        "article_id": c.article_id,
        "title": c.title,
        "date": c.date.isoformat() if c.date else None,
        "url": c.url,
        "source": c.source,
    }


def citation_json(c: Citation) -> dict[str, Any]:
    return {
        "n": c.n,
        "article_id": c.article_id,
        "title": c.title,
        "date": c.date.isoformat() if c.date else None,
        "url": c.url,
        "source": c.source,
        "quote": c.quote,
        "origin": c.origin,
        "also_in": [copy_json(x) for x in c.copies],
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
