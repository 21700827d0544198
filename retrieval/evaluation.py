"""``newsbot eval``: retrieval and answer metrics over a questions file, per ``kind/lang`` group.

Questions are JSON lines ``{"id", "question", "lang", "answerable", "article_id", "answers", "evidence",
"kind"}``. For each one the system is asked once; metrics:

- ``hit@1`` / ``hit@k``: the gold article among the first 1 / k distinct articles retrieved;
- ``mrr``: 1 / rank of the gold article among the distinct articles retrieved (0 when absent);
- ``evidence@k``: the gold evidence (whitespace- and case-normalised) inside one of the top-k passages;
- ``answer_hit``: a gold answer string inside the answer body (sources excluded) of at most 500 characters;
- ``lead@200``: a gold answer string inside the answer's first ``LEAD`` (200) characters: what a reader
  sees first;
- ``short_shown``: the share of answerable questions answered with a short answer line;
- ``short_right``: among those, the share whose short answer holds a gold answer: most
  (``SHORT_SHARE``, 60%) of a gold answer's words, compared on their first five letters, inside the
  quoted words the short answer renders, which are at most ``SHORT_WORDS`` (12) words;
- ``abstained``: share answered "not in the archive"; ``p50_ms`` / ``p95_ms``: time to answer.

Retrieval metrics count answerable questions only; a gold ``nerel/003.txt``-style id matches an archive
id that ends in ``/003.txt`` (the archive may have been ingested from its parent folder).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retrieval.answer.thread import Thread
from retrieval.errors import ConfigError
from retrieval.records import Answer

ANSWER_LIMIT = 500
LEAD = 200
SHORT_SHARE = 0.6
SHORT_WORDS = 12
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
REQUIRED = ("id", "question")


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    question: str
    lang: str
    kind: str
    answerable: bool
    article_id: str | None
    answers: tuple[str, ...]
    evidence: str | None
    earlier: tuple[str, ...] = ()
    """The conversation's earlier questions, asked first: this one is a follow-up."""

    @property
    def group(self) -> str:
        return f"{self.kind}/{self.lang}"


def load_questions(path: Path, limit: int | None = None) -> list[Question]:
    questions: list[Question] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read questions file {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: not valid JSON: {exc.msg}") from exc
        if not isinstance(raw, dict) or any(not raw.get(k) for k in REQUIRED):
            raise ConfigError(f"{path}:{number}: a question needs the fields {', '.join(REQUIRED)}")
        earlier = raw.get("earlier") or []
        if not isinstance(earlier, list) or not all(isinstance(e, str) and e.strip() for e in earlier):
            raise ConfigError(f"{path}:{number}: field 'earlier' must be a list of the earlier questions")
        questions.append(
            Question(
                id=str(raw["id"]),
                question=str(raw["question"]),
                lang=str(raw.get("lang") or "?"),
                kind=str(raw.get("kind") or "question"),
                answerable=bool(raw.get("answerable", raw.get("article_id") is not None)),
                article_id=raw.get("article_id"),
                answers=tuple(str(a) for a in raw.get("answers") or ()),
                evidence=raw.get("evidence"),
                earlier=tuple(earlier),
            )
        )
        if limit is not None and len(questions) >= limit:
            break
    return questions


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def same_article(retrieved: str, gold: str) -> bool:
    return retrieved == gold or retrieved.endswith("/" + gold)


def distinct_articles(answer: Answer) -> list[str]:
    return list(dict.fromkeys(p.article_id for p in answer.passages))


@dataclass(slots=True)
class Outcome:
    question: Question
    articles: list[str]
    answer: Answer
    ms: float
    k: int

    def rank(self) -> int | None:
        gold = self.question.article_id
        if gold is None:
            return None
        for i, aid in enumerate(self.articles, 1):
            if same_article(aid, gold):
                return i
        return None

    def evidence_found(self) -> bool:
        ev = self.question.evidence
        if not ev:
            return False
        target = normalise(ev)
        return any(target in normalise(p.chunk.text) for p in self.answer.passages[: self.k])

    def answer_hit(self) -> bool:
        body = self.answer.text
        if len(body) > ANSWER_LIMIT or self.answer.abstained:
            return False
        return any(normalise(a) in normalise(body) for a in self.question.answers if a.strip())

    def lead_hit(self) -> bool:
        if self.answer.abstained:
            return False
        lead = normalise(self.answer.text)[:LEAD]
        return any(normalise(a) in lead for a in self.question.answers if a.strip())

    def short_right(self) -> bool:
        short = self.answer.short
        if short is None:
            return False
        said = _prefixes(short.original)
        if len(said) > SHORT_WORDS:
            return False
        for gold in self.question.answers:
            words = _prefixes(gold)
            if words and sum(w in said for w in words) >= SHORT_SHARE * len(words):
                return True
        return False


def _prefixes(text: str) -> list[str]:
    """The words of ``text`` by their first five letters, as :meth:`Outcome.short_right` compares them."""
    return [w[:5] for w in _WORD.findall(text.casefold().replace("ё", "е"))]


@dataclass(slots=True)
class GroupStats:
    n: int = 0
    retrieval_n: int = 0
    hit1: int = 0
    hitk: int = 0
    rr: float = 0.0
    evidence_n: int = 0
    evidence: int = 0
    answers_n: int = 0
    answer_hits: int = 0
    lead_hits: int = 0
    answerable: int = 0
    short_shown: int = 0
    short_gold: int = 0
    short_right: int = 0
    abstained: int = 0
    ms: list[float] = field(default_factory=list)

    def add(self, o: Outcome) -> None:
        self.n += 1
        self.ms.append(o.ms)
        self.abstained += int(o.answer.abstained)
        if o.question.answerable:
            self.answerable += 1
            self.short_shown += int(o.answer.short is not None)
        if o.question.answerable and o.question.article_id:
            rank = o.rank()
            self.retrieval_n += 1
            self.hit1 += int(rank == 1)
            self.hitk += int(rank is not None and rank <= o.k)
            self.rr += 1.0 / rank if rank else 0.0
        if o.question.answerable and o.question.evidence:
            self.evidence_n += 1
            self.evidence += int(o.evidence_found())
        if o.question.answerable and o.question.answers:
            self.answers_n += 1
            self.answer_hits += int(o.answer_hit())
            self.lead_hits += int(o.lead_hit())
            if o.answer.short is not None:
                self.short_gold += 1
                self.short_right += int(o.short_right())

    def row(self, k: int) -> dict[str, Any]:
        def share(a: float, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "n": self.n,
            "hit@1": share(self.hit1, self.retrieval_n),
            f"hit@{k}": share(self.hitk, self.retrieval_n),
            "mrr": share(self.rr, self.retrieval_n),
            f"evidence@{k}": share(self.evidence, self.evidence_n),
            "answer_hit": share(self.answer_hits, self.answers_n),
            f"lead@{LEAD}": share(self.lead_hits, self.answers_n),
            "short_shown": share(self.short_shown, self.answerable),
            "short_right": share(self.short_right, self.short_gold),
            "abstained": share(self.abstained, self.n),
            "p50_ms": round(percentile(self.ms, 50), 1),
            "p95_ms": round(percentile(self.ms, 95), 1),
        }


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def run_questions(
    questions: Iterable[Question],
    ask: Callable[[str, Thread | None], Answer],
    k: int,
    *,
    threads: bool = True,
) -> list[Outcome]:
    """Each question's outcome; a follow-up's earlier questions are asked first and their answers make
    its thread (unless ``threads`` is off: then it is asked on its own). Only the follow-up is timed."""
    outcomes = []
    for q in questions:
        thread = Thread()
        for earlier in q.earlier if threads else ():
            thread = thread.continued(ask(earlier, thread))
        t0 = time.perf_counter()
        answer = ask(q.question, thread)
        ms = (time.perf_counter() - t0) * 1000
        outcomes.append(Outcome(q, distinct_articles(answer), answer, ms, k))
    return outcomes


def summarise(outcomes: Sequence[Outcome], k: int) -> dict[str, dict[str, Any]]:
    groups: dict[str, GroupStats] = {}
    overall = GroupStats()
    for o in outcomes:
        groups.setdefault(o.question.group, GroupStats()).add(o)
        overall.add(o)
    table = {name: groups[name].row(k) for name in sorted(groups)}
    table["overall"] = overall.row(k)
    return table


def detail(o: Outcome) -> dict[str, Any]:
    from retrieval.answer.answer_json import answer_json

    data = answer_json(o.answer)
    return {
        "id": o.question.id,
        "articles": o.articles,
        "passages": data["passages"],
        "answer": o.answer.text,
        "citations": data["citations"],
        "short_answer": data["short_answer"],
        "abstained": o.answer.abstained,
        "ms": round(o.ms, 2),
    }


def format_table(table: dict[str, dict[str, Any]]) -> str:
    columns = list(next(iter(table.values())).keys()) if table else []
    width = max(len(g) for g in table) if table else 5
    head = f"{'group':<{width}}  " + "  ".join(f"{c:>10}" for c in columns)
    lines = [head, "-" * len(head)]
    for group, row in table.items():
        cells = ["–" if row[c] is None else str(row[c]) for c in columns]
        lines.append(f"{group:<{width}}  " + "  ".join(f"{c:>10}" for c in cells))
    return "\n".join(lines)
