"""Build a keyword-query set from real articles: what people type into a private chat instead of a question.

    python bench/keyword_queries.py ../shared/eval/dev/archive -o bench/data/keyword-queries.jsonl
    NEWSBOT_DATA_DIR=<dev store> newsbot eval bench/data/keyword-queries.jsonl

For each sampled sentence of an article: two to four of its rarest words in the archive (names first),
as typed: Russian, lower case half the time; and for a third of the sentences that hold a name, the names
transliterated into Latin letters as an English reader would type them ("Uitkoff Kushner"). Each query is
answerable, its gold article is the sentence's article and its evidence the sentence. The set is not part
of the abstention calibration (``bench/calibrate.py`` reads the dev questions only).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from razdel import sentenize  # noqa: E402
from razdel import tokenize as words  # noqa: E402

from ingest.loaders import load_paths  # noqa: E402
from retrieval.terms import tokenize  # noqa: E402

_LETTERS = "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", _LETTERS.split(), strict=True))


def latin(word: str) -> str:
    """A Russian word in Latin letters (a plain BGN-like transliteration)."""
    out = "".join(_LATIN.get(ch, ch) for ch in word.lower()).replace("-", "")
    return out[:1].upper() + out[1:]


def candidates(text: str) -> list[str]:
    """Sentences of a useful length."""
    return [s.text for s in sentenize(text) if 60 <= len(s.text) <= 400]


def pick_words(sentence: str, df: Counter[str], rng: random.Random) -> list[str] | None:
    """Two to four of the sentence's rarest content words, names first, in their order in the sentence."""
    seen: dict[str, tuple[int, bool, int]] = {}
    for i, tok in enumerate(words(sentence)):
        w = tok.text
        stems = tokenize(w)
        if len(w) < 4 or not stems or not w.isalpha():
            continue
        seen.setdefault(w, (df[stems[0]], i > 0 and w[0].isupper(), i))
    if len(seen) < 3:
        return None
    ranked = sorted(seen, key=lambda w: (not seen[w][1], seen[w][0]))
    chosen = ranked[: rng.choice((2, 3, 4))]
    if any(df[tokenize(w)[0]] > 20 for w in chosen):
        return None  # not rare enough to be what someone would search this sentence by
    return sorted(chosen, key=lambda w: seen[w][2])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("archive", type=Path)
    parser.add_argument("-o", "--out", type=Path, required=True)
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    articles = load_paths([args.archive]).articles
    df: Counter[str] = Counter()
    for a in articles:
        for s in candidates(a.text):
            df.update(set(tokenize(s)))
    pool = [(a, s) for a in articles for s in candidates(a.text)]
    rng.shuffle(pool)
    out, used = [], set()
    for article, sentence in pool:
        if len(out) >= args.n or article.id in used:
            continue
        chosen = pick_words(sentence, df, rng)
        if chosen is None:
            continue
        used.add(article.id)
        names = [w for w in chosen if w[0].isupper()]
        if names and len(out) % 3 == 0:
            query, lang = " ".join(latin(w) if w in names else w for w in chosen), "en"
        else:
            query, lang = " ".join(w.lower() if len(out) % 2 else w for w in chosen), "ru"
        out.append(
            {
                "id": f"kw-{len(out):03d}",
                "question": query,
                "lang": lang,
                "answerable": True,
                "article_id": article.id,
                "answers": [],
                "evidence": sentence,
                "kind": "keywords",
            }
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in out), encoding="utf-8")
    print(f"{len(out)} queries -> {args.out}")


if __name__ == "__main__":
    main()
