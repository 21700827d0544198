"""The tables ``bench/query.py`` prints: each store's figures against the dense reference, the profiles
of a search's calls and of a fill's writes, and how every figure grows across sizes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bench.serving import MODEL_CALLS, NESTED_CALLS, STORE_CALLS

CALLS = (("dense", "reference: dense k=5"), ("search", "search"), ("filtered", "search, one month"))
CALLS += (("ask", "ask (offline)"), ("who", "who (one name)"), ("entities", "entities (top 20)"))


def _ms(value: float | None) -> str:
    return f"{value:9.1f}" if value is not None else f"{'-':>9}"


def _ratio(value: float | None, ref: float | None) -> str:
    return f"{value / ref:9.2f}" if value is not None and ref else f"{'-':>9}"


def _mb(value: float | None) -> str:
    return f"{value:,.0f} MB" if value is not None else "-"


def print_figures(f: dict[str, Any]) -> None:
    print(f"\n== {f['label']}: {f['chunks']:,} chunks, {f['questions']} questions ({f['where']})")
    print(f"{'':<24}{'p50 ms':>9}{'p95 ms':>9}{'p50/ref':>9}{'p95/ref':>9}")
    for key, title in CALLS:
        p50, p95 = f.get(f"{key}_p50_ms"), f.get(f"{key}_p95_ms")
        ref50, ref95 = f["dense_p50_ms"], f["dense_p95_ms"]
        print(f"{title:<24}{_ms(p50)}{_ms(p95)}{_ratio(p50, ref50)}{_ratio(p95, ref95)}")
    for line in _other_figures(f):
        print(line)
    if f.get("profile"):
        print_profile(f["profile"])
    if f.get("fill_profile"):
        print_write_profile(f["fill_profile"])


def _other_figures(f: dict[str, Any]) -> Iterator[str]:
    if f.get("filter"):
        share = f["filter_chunks"] / f["chunks"] if f["chunks"] else 0
        yield f"(one month: {f['filter'][0]} .. {f['filter'][1]}, {f['filter_chunks']:,} chunks, {share:.1%})"
    yield f"ready {f['ready_s']:.1f} s; serving process peak RSS {_mb(f['serving_peak_rss_mb'])}"
    if f.get("chroma_rss_mb") is not None:
        fill_peak = f.get("chroma_fill_peak_mb")
        yield (
            f"chroma run RSS {_mb(f['chroma_rss_mb'])} (peak {_mb(f['chroma_peak_mb'])}"
            + (f"; {_mb(fill_peak)} while filling)" if fill_peak else ")")
        )
    if f.get("chroma_first_query_s") is not None:
        yield f"first query after the server's restart {f['chroma_first_query_s']:.2f} s"
    if "fresh_s" in f and f["fresh_s"] is None:
        yield f"fresh: not found after {f['fresh_polls']} searches"
    elif "fresh_s" in f:
        when = (
            f"{f['fresh_s']:.2f} s after the write ended"
            if f["fresh_s"] >= 0
            else f"{-f['fresh_s']:.2f} s before the write call returned (visible once its record switched)"
        )
        yield (
            f"fresh: found {when} (by a search of "
            f"{f['fresh_search_ms']:.0f} ms; searches since polling began: {f['fresh_polls']})"
        )
    if f.get("fill_s"):
        yield f"filled in {f['fill_s']:.0f} s ({f['fill_s_per_1000']:.2f} s per 1,000 chunks)"
    if f.get("records"):
        counts = ", ".join(f"{name} {n:,}" for name, n in f["records"].items())
        yield f"records per collection: {counts} (articles: article, term and statistics records)"


def print_profile(profile: dict[str, Any]) -> None:
    labels = list(profile)
    print(f"{'call':<24}" + "".join(f"{label + ' p50 ms':>18}{'per question':>14}" for label in labels))
    for name in (*MODEL_CALLS, *STORE_CALLS, *NESTED_CALLS):
        cells = [profile[label].get(name) for label in labels]
        if any(cells):
            shown = "  " + name if name in NESTED_CALLS else name
            print(
                f"{shown:<24}"
                + "".join(
                    f"{c['p50_ms']:18.2f}{c['per_question']:14.2f}" if c else f"{'-':>18}{'':>14}"
                    for c in cells
                )
            )
    print(f"{'rest (mean)':<24}" + "".join(f"{profile[x]['rest']['mean_ms']:18.2f}{'':>14}" for x in labels))
    print(f"{'search total':<24}" + "".join(f"{profile[x]['total']['p50_ms']:18.2f}{'':>14}" for x in labels))
    print("(a store call's time includes its collection look-ups, listed indented under them)")


def print_write_profile(steps: dict[str, Any]) -> None:
    print(f"{'a write of the fill':<30}{'mean ms':>10}{'per write':>11}")
    for name, figures in steps.items():
        if isinstance(figures, dict):
            print(f"{name:<30}{figures['mean_ms']:10.1f}{figures['per_write']:11.2f}")
    first, last = steps["first_tenth_write_p50_ms"], steps["last_tenth_write_p50_ms"]
    print(f"a whole write, p50 over the first tenth of the fill {first:.0f} ms, over the last {last:.0f} ms")
    print("(add: StatsDelta.add, the statistics of the written chunks; _upsert: every upsert of records)")


def print_growth(rows: list[dict[str, Any]]) -> None:
    """p50/p95 of every call per scale, the ratios to the reference, and the growth from the first row."""
    print("\n== growth across sizes (p50 / p95 ms; x ref: to the dense query of the same size)")
    head = f"{'size':<12}{'chunks':>10}" + "".join(f"{key:>18}" for key, _ in CALLS)
    print(head + f"{'search x ref':>14}{'ready s':>9}{'fresh s':>9}{'serving MB':>12}{'chroma MB':>11}")
    for r in rows:
        cells = "".join(f"{_pair(r, key):>18}" for key, _ in CALLS)
        ratio = f"{r['search_p50_ms'] / r['dense_p50_ms']:.1f}/{r['search_p95_ms'] / r['dense_p95_ms']:.1f}"
        fresh = f"{r['fresh_s']:.2f}" if r.get("fresh_s") is not None else "-"
        print(
            f"{r['label']:<12}{r['chunks']:>10,}{cells}{ratio:>14}{r['ready_s']:>9.1f}{fresh:>9}"
            f"{r['serving_peak_rss_mb']:>12,.0f}{_mb(r.get('chroma_rss_mb')).removesuffix(' MB'):>11}"
        )
    base = rows[0]
    for r in rows[1:]:
        growth = ", ".join(
            f"{key} p50 x{r[f'{key}_p50_ms'] / base[f'{key}_p50_ms']:.2f}"
            for key, _ in CALLS
            if r.get(f"{key}_p50_ms") and base.get(f"{key}_p50_ms")
        )
        print(f"{r['label']} against {base['label']} ({r['chunks'] / base['chunks']:.0f}x chunks): {growth}")


def _pair(row: dict[str, Any], key: str) -> str:
    p50, p95 = row.get(f"{key}_p50_ms"), row.get(f"{key}_p95_ms")
    return f"{p50:.1f} / {p95:.1f}" if p50 is not None and p95 is not None else "-"
