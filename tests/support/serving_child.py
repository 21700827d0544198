"""A long-lived serving process: builds the answerer once, as ``newsbot`` does, then answers questions.

python -m tests.support.serving_child [K]

Settings come from the environment (``NEWSBOT_CHROMA_URL``, ``NEWSBOT_COLLECTION``…). Prints ``ready``
once the answerer is built and the model is loaded, then for each line read on stdin one JSON line: the
answer (``answer_json``) with the top ``K`` (default 5) passages of a search for the same question.
Stops at the end of stdin.
"""

from __future__ import annotations

import json
import sys

from bot.wiring import build_answerer
from retrieval.answer.answer_json import answer_json, passage_json
from retrieval.settings import load_settings


def main() -> None:
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    answerer = build_answerer(load_settings())
    answerer.search("warm up", 1)  # load the model before saying ready
    print("ready", flush=True)
    for line in sys.stdin:
        question = line.strip()
        if not question:
            continue
        reply = answer_json(answerer.ask(question))
        reply["search"] = [passage_json(p) for p in answerer.search(question, k).passages]
        print(json.dumps(reply, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
