"""How right the archive's entities are: per-article name sets against NEREL's annotations.

    python bench/entities.py NEREL/NEREL-v1.1/dev [--limit N] [--errors 20]

NEREL (github.com/nerel-ds/NEREL, Russian news with nested named-entity annotations in brat's format:
``NNN.txt`` beside ``NNN.ann``) is read folder by folder. For each document the people
(``PERSON``), organisations (``ORGANIZATION``) and places (``COUNTRY``, ``CITY``, ``STATE_OR_PROVINCE``,
``LOCATION``, ``DISTRICT``) it annotates are grouped into entities exactly as the archive groups what it
recognises (:func:`retrieval.entities.article.entities_of`), and the two sets of entity keys are compared.
Prints per kind the precision, recall and F1 over all documents' (document, entity) pairs, and how fast the
recognition ran (characters a second, against the time the same texts take to be split into sentences,
measured in the same run). The dev archive's ``nerel/`` texts are NEREL's train documents: measure on
``dev`` or ``test`` to see figures on texts nothing was tuned on.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from retrieval.entities.article import article_entities, entities_of  # noqa: E402

KINDS = {
    "PERSON": "person",
    "ORGANIZATION": "organization",
    "COUNTRY": "place",
    "CITY": "place",
    "STATE_OR_PROVINCE": "place",
    "LOCATION": "place",
    "DISTRICT": "place",
}
ORDER = ("person", "organization", "place")


def annotated(ann: Path) -> list[tuple[str, str]]:
    """The ``(kind, text)`` mentions a brat ``.ann`` file annotates (entities only, not relations)."""
    out = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        _, spec, text = line.split("\t", 2)
        kind = KINDS.get(spec.split(" ", 1)[0])
        if kind:
            out.append((kind, text))
    return out


def keys(named: tuple[object, ...], kind: str) -> set[str]:
    return {n.key for n in named if n.kind == kind}  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="a NEREL split: a folder of NNN.txt and NNN.ann")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent misses of each kind")
    args = parser.parse_args()
    texts = sorted(args.folder.glob("*.txt"))[: args.limit]
    if not texts:
        parser.error(f"{args.folder}: no .txt documents")
    from razdel import sentenize

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    missed: dict[str, Counter[str]] = {f"{k} {w}": Counter() for k in ORDER for w in ("extra", "missed")}
    chars = 0
    spent = reference = 0.0
    for path in texts:
        text = path.read_text(encoding="utf-8")
        chars += len(text)
        start = time.perf_counter()
        list(sentenize(text))
        reference += time.perf_counter() - start
        start = time.perf_counter()
        found = article_entities(text)
        spent += time.perf_counter() - start
        gold = entities_of(annotated(path.with_suffix(".ann")))
        for kind in ORDER:
            ours, theirs = keys(found, kind), keys(gold, kind)
            tp[kind] += len(ours & theirs)
            fp[kind] += len(ours - theirs)
            fn[kind] += len(theirs - ours)
            missed[f"{kind} extra"].update(ours - theirs)
            missed[f"{kind} missed"].update(theirs - ours)
    print(f"{len(texts)} documents of {args.folder}, {chars:,} characters")
    print(f"{'kind':<14}{'precision':>10}{'recall':>8}{'F1':>7}{'entities':>10}")
    for kind in ORDER:
        p = tp[kind] / ((tp[kind] + fp[kind]) or 1)
        r = tp[kind] / ((tp[kind] + fn[kind]) or 1)
        f1 = 2 * p * r / ((p + r) or 1)
        print(f"{kind:<14}{p:>10.3f}{r:>8.3f}{f1:>7.3f}{tp[kind] + fn[kind]:>10}")
    print(
        f"recognition: {chars / spent:,.0f} characters/s, {spent / reference:.0f}x the time razdel takes "
        "to split the same texts into sentences"
    )
    for label, counter in missed.items():
        if args.errors:
            print(f"{label}: " + "; ".join(f"{k} ({n})" for k, n in counter.most_common(args.errors)))


if __name__ == "__main__":
    main()
