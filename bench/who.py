"""How well a name asked for finds the articles about its person: NEREL's most annotated people.

    python bench/who.py NEREL/NEREL-v1.1/train [--people 10]

NEREL links its annotated people to Wikidata (``N… Reference T… Wikidata:Q…``), which says which
documents mention each person whatever the form. The people mentioned in the most documents are asked for
by their Wikidata label ("Владимир Владимирович Путин"), by its last word ("Путин") and by their
labels in Latin letters (iuliia's Wikipedia transliteration: "Vladimir Vladimirovich Putin"), and the
documents found are compared with the documents NEREL links to them: precision and recall per person and
over all. The documents are filed as ingestion files them (:func:`retrieval.entities.article.
article_entities`, :func:`retrieval.entities.index.changes`), the names resolved as ``newsbot who`` resolves
them (:func:`retrieval.entities.lookup.resolve`); the index is held in memory here, the same records the
store keeps.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from retrieval.entities.article import article_entities  # noqa: E402
from retrieval.entities.index import Entity, Filed, changes  # noqa: E402
from retrieval.entities.lookup import resolve, wanted  # noqa: E402


def linked_people(folder: Path) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Wikidata id -> the documents whose PERSON annotations link to it; and each id's label."""
    docs: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    for ann in sorted(folder.glob("*.ann")):
        lines = ann.read_text(encoding="utf-8").splitlines()
        people = {
            ln.split("\t")[0]
            for ln in lines
            if ln.startswith("T") and ln.split("\t")[1].startswith("PERSON ")
        }
        for line in lines:
            if not line.startswith("N"):
                continue
            parts = line.split("\t")
            _, target, qid = parts[1].split(" ")[:3]
            if target in people and qid != "Wikidata:NULL":
                docs[qid].add(ann.stem)
                labels.setdefault(qid, parts[2] if len(parts) > 2 else qid)
    return docs, labels


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="a NEREL split: a folder of NNN.txt and NNN.ann")
    parser.add_argument("--people", type=int, default=10)
    args = parser.parse_args()
    import iuliia

    gold, labels = linked_people(args.folder)
    filed = [
        Filed(path.stem, None, "nerel", article_entities(path.read_text(encoding="utf-8")))
        for path in sorted(args.folder.glob("*.txt"))
    ]
    delta = changes(filed, [])
    records = {eid: Entity.from_metadata(d.applied(None) or {}) for eid, d in delta.entities.items()}
    posted = {eid: {row[0] for rows in d.added.values() for row in rows} for eid, d in delta.entities.items()}

    def found(name: str) -> set[str]:
        candidates = {eid: records[eid] for key in wanted(name) for eid in delta.words.get(key, ())}
        resolved = resolve(name, candidates)
        if resolved is None:
            return set()
        return set().union(*(posted[eid] for eid in (resolved.meant, *resolved.same)))

    people = sorted(gold, key=lambda q: (-len(gold[q]), q))[: args.people]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # found right, found, gold
    print(f"{len(filed)} documents; the {len(people)} people NEREL links in the most of them")
    print(f"{'asked':<40}{'docs':>6}{'found':>7}{'precision':>11}{'recall':>8}")
    for qid in people:
        label = labels[qid]
        asks = {
            "full name": label,
            "surname": label.split()[-1],
            "in Latin": iuliia.WIKIPEDIA.translate(label),
        }
        for how, name in asks.items():
            ours, theirs = found(name), gold[qid]
            right = len(ours & theirs)
            for key in (how, "all"):
                totals[key][0] += right
                totals[key][1] += len(ours)
                totals[key][2] += len(theirs)
            p = right / len(ours) if ours else 0.0
            print(f"{name:<40}{len(theirs):>6}{len(ours):>7}{p:>11.3f}{right / len(theirs):>8.3f}")
    for how, (right, ours_n, theirs_n) in totals.items():
        p, r = right / (ours_n or 1), right / theirs_n
        print(f"{'over all, ' + how:<40}{theirs_n:>6}{ours_n:>7}{p:>11.3f}{r:>8.3f}")


if __name__ == "__main__":
    main()
