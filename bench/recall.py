"""Where search loses the right article: outside the candidates, or ranked below another among them.

    NEWSBOT_DATA_DIR=<dev store> python bench/recall.py [--questions ../shared/eval/dev/questions.jsonl]
        [--per-group 300] [--top 50]

For the answerable questions of each group (a fixed sample), the search's own candidate pool (the dense
pool, the name candidates and their neighbours) is compared with an oracle that reads the whole archive
once (for this benchmark only): the ``--top`` chunks by exact BM25 and by sparse latent terms over every
chunk, as the retired in-memory index found them. Printed per group: hit@1; the share of questions whose
article is in the pool; of those missing it, the share the oracle's BM25 or sparse top would have
brought in (what a store-side index for those signals could win back); and of the misses at rank 1
with the article in the pool, a ranking loss.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.pool import sample  # noqa: E402
from bot.wiring import load_embeddings, open_store  # noqa: E402
from retrieval.evaluation import load_questions, same_article  # noqa: E402
from retrieval.records import SparseVector  # noqa: E402
from retrieval.search.scoring import bm25, sparse_scores  # noqa: E402
from retrieval.search.searcher import Searcher  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402
from retrieval.store.chunks import StoredChunk  # noqa: E402
from retrieval.terms import chunk_analysis, tokenize  # noqa: E402


class Oracle:
    """Exact BM25 and sparse scores over every visible chunk (read once)."""

    def __init__(self, searcher: Searcher) -> None:
        store = searcher.store
        rows = list(store.visible_chunks())
        self.articles = [c.article_id for _, c in rows]
        self.tokens = [chunk_analysis(c.text)[0] for _, c in rows]
        stored = store.chunks([cid for cid, _ in rows])
        self.sparse: list[SparseVector | None] = [stored[cid].sparse for cid, _ in rows]
        self.searcher = searcher

    def top_articles(self, question: str, n: int) -> tuple[set[str], set[str]]:
        store, emb = self.searcher.store, self.searcher.embeddings
        stats = store.archive_stats()
        terms = tokenize(question)
        df = store.document_frequencies(terms, stats)
        lexical = bm25(terms, self.tokens, df, stats.chunks, stats.average_tokens)
        qs = emb.sparse_query(question) if emb.sparse_dim else None
        sparse = sparse_scores(qs, self.sparse, emb.sparse_dim)
        return self._best(lexical, n), self._best(sparse, n)

    def _best(self, scores: np.ndarray, n: int) -> set[str]:
        return {self.articles[int(i)] for i in np.argsort(-scores)[:n] if scores[int(i)] > 0}


def pool_of(searcher: Searcher, question: str) -> tuple[list[str], Sequence[StoredChunk]]:
    """The search's ranked article ids and the candidate pool it ranked."""
    seen: dict[str, Any] = {}
    real = searcher._with_neighbours

    def capture(found: Sequence[StoredChunk], qv: np.ndarray) -> list[StoredChunk]:
        pool = real(found, qv)
        seen["pool"] = pool
        return pool

    searcher._with_neighbours = capture  # type: ignore[method-assign]
    try:
        passages = searcher.search(question, 5).passages
    finally:
        del searcher._with_neighbours
    return [p.article_id for p in passages], seen.get("pool", [])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--questions", type=Path, default=REPO.parent / "shared" / "eval" / "dev" / "questions.jsonl"
    )
    parser.add_argument("--per-group", type=int, default=300)
    parser.add_argument("--top", type=int, default=50)
    args = parser.parse_args()
    settings = load_settings()
    searcher = Searcher(open_store(settings), load_embeddings(settings))
    oracle = Oracle(searcher)
    print(
        f"{'group':<18} {'n':>4} {'hit@1':>6} {'in pool':>8} {'out: bm25':>10} {'out: sparse':>12} "
        f"{'out: either':>12} {'ranked low':>11}"
    )
    for group, questions in sample(load_questions(args.questions), args.per_group).items():
        hit = in_pool = out = out_bm25 = out_sparse = out_any = ranked_low = 0
        for q in questions:
            gold = q.article_id or ""
            ranked, pool = pool_of(searcher, q.question)
            top1 = bool(ranked) and same_article(ranked[0], gold)
            hit += top1
            present = any(same_article(c.chunk.article_id, gold) for c in pool)
            in_pool += present
            if not present:
                out += 1
                lexical, sparse = oracle.top_articles(q.question, args.top)
                by_bm25 = any(same_article(a, gold) for a in lexical)
                by_sparse = any(same_article(a, gold) for a in sparse)
                out_bm25 += by_bm25
                out_sparse += by_sparse
                out_any += by_bm25 or by_sparse
            elif not top1:
                ranked_low += 1
        n = len(questions)
        print(
            f"{group:<18} {n:>4} {hit / n:>6.3f} {in_pool / n:>8.3f} {out_bm25:>10} {out_sparse:>12} "
            f"{out_any:>12} {ranked_low:>11}",
            flush=True,
        )


if __name__ == "__main__":
    main()
