"""Precision and recall of near-duplicate grouping (stories) on a set built from real articles.

    python bench/duplicates.py                          # the dev archive when present, else sample/
    python bench/duplicates.py ../shared/eval/dev/archive --originals 300

The set: real articles (at least 400 characters) as originals; for each, one or two reprints "from
another outlet": a new headline, another outlet and date, and one kind of edit: ``trim`` (the last
paragraph or last sentences cut, sometimes the first too), ``edit`` (about one word in twenty replaced
or dropped), ``boiler`` (an outlet's lines added: a photo credit, "read also", a subscribe line) or
``heavy`` (all three). Pairs that must stay apart: every other pair, among them the hardest ones
(``near``: the 200 pairs of distinct real articles whose stems overlap most, as articles on one event
do) and ``background`` (another real article, from outside the set, that repeats one's first paragraph
as background).

Margins: the exact shingle Jaccard of the lowest one-story pairs and of the highest pairs kept apart.

Figures (pairwise, over every pair of the set): precision = pairs grouped that are one story / pairs
grouped; recall = one-story pairs grouped / one-story pairs. First a sweep over the shingle length,
permutations, bands and threshold (the grouping exactly as :class:`retrieval.store.stories.Stories`
does it, held in memory), then the configured parameters through the store itself (an embedded Chroma
collection of article records, written in batches as ingestion does).
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.loaders import load_paths  # noqa: E402
from retrieval.records import Article, ArticleInfo  # noqa: E402
from retrieval.store import stories  # noqa: E402
from retrieval.store.client import make_client, upsert_without_vectors  # noqa: E402
from retrieval.store.schema import ARTICLE_PREFIX  # noqa: E402
from retrieval.store.shapes import article_metadata  # noqa: E402
from retrieval.terms import tokenize  # noqa: E402

DEV = REPO.parent / "shared" / "eval" / "dev" / "archive"
OUTLETS = ("Вести-Пример", "Регион-24", "Новости-Онлайн", "Городская газета", "Телеграф-Пример")
BOILER = (
    "Фото: пресс-служба.",
    "Читайте также: {other}",
    "Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать главные новости.",
    "Материал подготовлен по данным агентств.",
)
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True, slots=True)
class Item:
    article: Article
    story: str  # the original's id: what the grouping should find
    kind: str  # original, trim, edit, boiler, heavy, background
    lead: str = ""  # background: the article whose first paragraph it repeats


def paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    return parts if len(parts) > 1 else _SENTENCE.split(text.strip())


def trimmed(text: str, rng: random.Random) -> str:
    parts = paragraphs(text)
    cut = max(1, len(parts) // 5)
    parts = parts[:-cut] if len(parts) > 2 else parts
    if len(parts) > 3 and rng.random() < 0.4:
        parts = parts[1:]  # the lead rewritten away
    return "\n\n".join(parts)


def edited(text: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    words = text.split(" ")
    out = []
    for w in words:
        r = rng.random()
        if r < 0.025:
            continue
        out.append(rng.choice(vocabulary) if r < 0.05 else w)
    return " ".join(out)


def boilered(text: str, rng: random.Random, other_title: str) -> str:
    head = [BOILER[0]] if rng.random() < 0.5 else []
    tail = [b.format(other=other_title) for b in BOILER[1:] if rng.random() < 0.6]
    return "\n\n".join([*head, text, *tail])


def reprint(original: Article, kind: str, n: int, rng: random.Random, pool: Sequence[Article]) -> Article:
    vocabulary = [w for w in original.text.split(" ") if len(w) > 3] or ["также"]
    text = original.text
    if kind in ("trim", "heavy"):
        text = trimmed(text, rng)
    if kind in ("edit", "heavy"):
        text = edited(text, rng, vocabulary)
    if kind in ("boiler", "heavy"):
        text = boilered(text, rng, rng.choice(pool).title)
    headline = rng.choice(("Срочно: ", "Главное: ", "", "Новость дня: ")) + " ".join(
        original.title.split()[: max(3, len(original.title.split()) - 2)]
    )
    day = (original.date or date(2026, 1, 1)) + timedelta(days=rng.randint(0, 3))
    return Article(
        id=f"{original.id}~{n}",
        title=headline,
        text=text,
        date=day,
        url=f"https://example.org/{n}/{abs(hash(original.id)) % 10**8}",
        source=rng.choice(OUTLETS),
    )


def background(first: Article, second: Article, n: int) -> Article:
    """``second``'s story (an article outside the set), with ``first``'s first paragraph repeated as
    background."""
    lead = paragraphs(first.text)[0]
    return Article(
        id=f"bg{n}:{second.id}", title=second.title, text=f"{second.text}\n\n{lead}", date=second.date
    )


def near_pairs(articles: Sequence[Article], top: int) -> list[tuple[str, str, float]]:
    """The ``top`` pairs of distinct articles whose stem sets overlap most (Jaccard)."""
    sets = {a.id: set(tokenize(a.text)) for a in articles}
    ids = list(sets)
    scored = [
        (a, b, len(sets[a] & sets[b]) / max(1, len(sets[a] | sets[b])))
        for a, b in itertools.combinations(ids, 2)
    ]
    return sorted(scored, key=lambda x: -x[2])[:top]


def build_set(archive: Path, originals: int, seed: int) -> tuple[list[Item], list[tuple[str, str, float]]]:
    loaded = [a for a in load_paths([archive]).articles if len(a.text) >= 400]
    rng = random.Random(seed)
    rng.shuffle(loaded)
    chosen = loaded[:originals]
    items = [Item(a, a.id, "original") for a in chosen]
    kinds = ("trim", "edit", "boiler", "heavy")
    n = 0
    for a in chosen:
        for _ in range(rng.choice((1, 1, 2))):
            n += 1
            kind = kinds[n % len(kinds)]
            items.append(Item(reprint(a, kind, n, rng, chosen), a.id, kind))
    others = loaded[originals:]  # not in the set: the background articles' own stories
    for i in range(min(len(chosen), len(others), 60)):
        first, second = chosen[i], others[i]
        items.append(Item(background(first, second, i), f"bg{i}:{second.id}", "background", first.id))
    rng.shuffle(items)  # ingestion meets copies in any order
    return items, near_pairs(chosen, 200)


# -- grouping, as the store does it ---------------------------------------------------------------


def group_in_memory(
    items: Sequence[Item], n: int, num_perm: int, bands: int, threshold: float
) -> dict[str, str]:
    """Article id -> story, each article matched against those before it (what Stories.file does)."""
    filed: list[stories.Filed] = []
    by_band: dict[str, list[int]] = {}
    for item in items:
        a = item.article
        fp = stories.fingerprint(a.text, n=n, num_perm=num_perm, bands=bands)
        seen = {i for key in fp.bands for i in by_band.get(key, [])}
        candidates = [filed[i] for i in sorted(seen)]
        story = stories.choose_story(fp, candidates, threshold) or a.id
        for key in fp.bands:
            by_band.setdefault(key, []).append(len(filed))
        filed.append(stories.Filed(a.id, "v", story, fp))
    return {f.article_id: f.story for f in filed}


def group_in_store(items: Sequence[Item], batch: int = 64) -> tuple[dict[str, str], dict[str, float]]:
    """Article id -> story as :class:`Stories` files them in an embedded Chroma collection, and timings:
    the filing (fingerprints, the story lookup, their records) against a plain write of the same article
    records in another collection, and a question's read of the stories of 50 articles against a read of their
    records by id (what search reads anyway)."""
    with tempfile.TemporaryDirectory() as tmp:
        client = make_client(None, tmp)
        col = client.get_or_create_collection("bench-articles", embedding_function=None)
        plain = client.get_or_create_collection("bench-plain", embedding_function=None)
        most = client.get_max_batch_size()
        filing = writing = 0.0
        for i in range(0, len(items), batch):
            part = items[i : i + batch]
            infos = [
                ArticleInfo(x.article.id, "v1", 1, x.article.title, x.article.date, x.article.source)
                for x in part
            ]
            started = time.perf_counter()
            filed = stories.Stories(col, most).file(infos, [x.article.text for x in part])
            ids = [ARTICLE_PREFIX + f.id for f in filed]
            upsert_without_vectors(
                col, ids, [article_metadata(f, "bench", writing=False) for f in filed], most
            )
            filing += time.perf_counter() - started
            started = time.perf_counter()
            upsert_without_vectors(
                plain, ids, [article_metadata(f, "bench", writing=False) for f in filed], most
            )
            writing += time.perf_counter() - started
        got = col.get(where={"kind": "article"}, include=["metadatas"])
        found = {
            rid[len(ARTICLE_PREFIX) :]: str((m or {}).get("story"))
            for rid, m in zip(got["ids"], got["metadatas"] or [], strict=True)
        }
        rng = random.Random(1)
        asked = [rng.sample(sorted(found), 50) for _ in range(20)]
        started = time.perf_counter()
        for ids in asked:
            stories.Stories(col, most).read(ids)
        reading = time.perf_counter() - started
        started = time.perf_counter()
        for ids in asked:
            col.get(ids=[ARTICLE_PREFIX + a for a in ids], include=["metadatas"])
        by_id = time.perf_counter() - started
        return found, {"filing": filing, "writing": writing, "reading": reading, "by_id": by_id}


# -- figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figures:
    precision: float
    recall: float
    grouped: int
    false_merges: int
    recall_by_kind: dict[str, float]
    near_merged: int
    background_merged: int


def measure(items: Sequence[Item], got: dict[str, str], near: Sequence[tuple[str, str, float]]) -> Figures:
    truth = {x.article.id: x.story for x in items}
    kind = {x.article.id: x.kind for x in items}
    ids = sorted(truth)
    true_pairs = pred_pairs = both = 0
    found_by_kind: Counter[str] = Counter()
    total_by_kind: Counter[str] = Counter()
    background_merged = 0
    for a, b in itertools.combinations(ids, 2):
        same, grouped = truth[a] == truth[b], got[a] == got[b]
        true_pairs += same
        pred_pairs += grouped
        both += same and grouped
        if same:
            k = kind[b] if kind[a] == "original" else kind[a]
            total_by_kind[k] += 1
            found_by_kind[k] += grouped
        if grouped and not same and "background" in (kind[a], kind[b]):
            background_merged += 1
    return Figures(
        precision=both / pred_pairs if pred_pairs else 1.0,
        recall=both / true_pairs if true_pairs else 1.0,
        grouped=pred_pairs,
        false_merges=pred_pairs - both,
        recall_by_kind={k: found_by_kind[k] / total_by_kind[k] for k in sorted(total_by_kind)},
        near_merged=sum(got[a] == got[b] for a, b, _ in near),
        background_merged=background_merged,
    )


def margins(items: Sequence[Item], near: Sequence[tuple[str, str, float]], n: int) -> str:
    """Exact shingle Jaccard: the lowest of one story's pairs (by kind: minimum and 10th percentile) and
    the highest of the hardest pairs that must stay apart (``near``, ``background`` with the article whose
    lead it repeats)."""
    grams = {x.article.id: stories.shingles(x.article.text, n) for x in items}

    def jaccard(a: str, b: str) -> float:
        return len(grams[a] & grams[b]) / max(1, len(grams[a] | grams[b]))

    by_kind: dict[str, list[float]] = {}
    for x in items:
        if x.kind not in ("original", "background"):
            by_kind.setdefault(x.kind, []).append(jaccard(x.article.id, x.story))
    leads = [jaccard(x.article.id, x.lead) for x in items if x.kind == "background"]
    parts = [f"{k} min={min(v):.2f} p10={sorted(v)[len(v) // 10]:.2f}" for k, v in sorted(by_kind.items())]
    apart = f"near max={max(jaccard(a, b) for a, b, _ in near):.2f} background max={max(leads):.2f}"
    return f"n={n}: one story: {', '.join(parts)} | apart: {apart}"


def row(label: str, f: Figures) -> str:
    kinds = " ".join(f"{k}={v:.3f}" for k, v in f.recall_by_kind.items())
    return (
        f"{label:<28} P={f.precision:.4f} R={f.recall:.4f} false={f.false_merges:<3} "
        f"near={f.near_merged:<2} bg={f.background_merged:<2} | {kinds}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("archive", nargs="?", type=Path, default=DEV if DEV.exists() else REPO / "sample")
    parser.add_argument("--originals", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    items, near = build_set(args.archive, args.originals, args.seed)
    kinds = Counter(x.kind for x in items)
    print(f"set from {args.archive}: {len(items)} articles ({dict(kinds)}); near pairs: {len(near)}, "
          f"stem Jaccard {near[-1][2]:.2f}-{near[0][2]:.2f}" if near else "")  # fmt: skip
    print("sweep (n = stems per shingle, perm = permutations, b = bands, t = threshold):")
    for n in (1, 2, 3, 4):
        print(margins(items, near, n))
    grid = itertools.product(
        (1, 2, 3, 4), ((64, 16), (96, 32), (128, 32), (126, 42), (192, 64)), (0.3, 0.4, 0.5)
    )
    for n, (perm, b), t in grid:
        rows = perm // b
        print(
            row(
                f"n={n} perm={perm} b={b}x{rows} t={t}",
                measure(items, group_in_memory(items, n, perm, b, t), near),
            )
        )
    configured = (stories.SHINGLE, stories.NUM_PERM, stories.BANDS, stories.THRESHOLD)
    memory = measure(items, group_in_memory(items, *configured), near)
    print(row("configured, in memory", memory))
    got, timing = group_in_store(items)
    print(row("configured, through Chroma", measure(items, got, near)))
    print(
        f"through Chroma (embedded): filing {len(items) / timing['filing']:.0f} articles/s, "
        f"{timing['filing'] / timing['writing']:.1f}x a plain write of the same records (batches of 64); "
        f"a question's stories of 50 articles: {timing['reading'] / timing['by_id']:.1f}x a read of "
        "their records by id"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
