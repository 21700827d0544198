"""``newsbot search``, ``newsbot ask`` and ``newsbot eval``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.arguments import add_filters, add_who, command, parse_filters
from bot.cli.csv_output import add_csv, print_csv, wants_csv
from retrieval.errors import ConfigError
from retrieval.settings import Settings

if TYPE_CHECKING:
    from retrieval.answer.answerer import Answerer
    from retrieval.records import SearchFilters

SEARCH_EPILOG = """\
examples:
  newsbot search "Уиткофф Кушнер Париж"
  newsbot search "key rate" --since 2025-12-01 --source Экономика-Пример -k 10
  newsbot search "переговоры в Париже" --json
  newsbot search "Уиткофф" --all              also the weak matches and every copy of a story
  newsbot search '"Белый дом" санкции -Китай'  the exact phrase, and no article that names Китай
  newsbot search 'Путин OR Трамп саммит'      articles with either name (ИЛИ too)
  newsbot search "переговоры" --who Putin      articles naming him in any form (Путина, Путину…)
  newsbot search "ключевая ставка" --csv > rate.csv   every passage up to --limit (1000), as CSV

Each passage says how well it matches: strong (every word of a keyword query, or among the closest
in meaning with every name and number asked for; never when the archive seems not to cover the
question), related, or weak (weak ones are left out unless --all). A story told by
several articles (reprints, syndicated copies) is shown once, with "also in" and the other copies'
outlets and links; --all shows every copy. --csv writes every passage found, best first, up to --limit
(weak ones too: the strength column says so), with the columns date, outlet, title, url, passage,
strength, story (the label copies of a story share) and also_in.

Operators decide which articles qualify, on the whole article; the ranking stays the search's own:
"exact phrase" (or «…»: those words in that order, no other form, no transliteration), -word (leave
out articles with any form of it), -"phrase", A OR B (ИЛИ; in capitals). --who NAME keeps the articles
that name that person, organisation or place in any form or script. An unclosed quote or a lone OR is
bad usage (exit 2), as is a name no article names (the message lists the nearest names)."""

ASK_EPILOG = """\
examples:
  newsbot ask "who represents the US in Paris?"
  newsbot ask "When will the Tulskaya station open?"   opens with "Answer (date): in 2028 (в 2028 году) [1]"
  newsbot ask "Что писали о морозах в январе 2026?"
  newsbot ask "какая ставка ЦБ?" --until 2025-12-31 --json
  newsbot ask "что решили в Париже?" --all     drawing on every copy of a story
  newsbot ask 'что сказали в "Белом доме"?' --who Трамп

A question asking for a fact (who, which organisation, when, how much / how many) opens with a short
answer line when the quoted sentence clearly holds it: its words, typed, for an English question in
Latin letters beside the Russian original; --json gives it as short_answer. The search's operators
("exact phrase", -word, A OR B) and --who decide which articles the answer may draw on (see search --help)."""

EVAL_EPILOG = """\
examples:
  newsbot eval ../shared/eval/dev/questions.jsonl
  newsbot eval questions.jsonl --limit 200 --details out.jsonl --json"""


def register(sub: Any) -> None:
    search = command(sub, "search", help="passages with dates and sources", epilog=SEARCH_EPILOG)
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5, help="passages to show (default 5)")
    search.add_argument(
        "--all",
        action="store_true",
        help="also show weak matches and every copy of a story (hidden by default)",
    )
    add_filters(search)
    add_who(search)
    search.add_argument("--json", action="store_true", help="machine-readable output")
    add_csv(search)
    search.set_defaults(handler=run_search)

    ask = command(sub, "ask", help="a short answer citing its sources", epilog=ASK_EPILOG)
    ask.add_argument("question")
    add_filters(ask)
    add_who(ask)
    ask.add_argument(
        "--all", action="store_true", help="draw on every copy of a story (by default: each story once)"
    )
    ask.add_argument("--json", action="store_true", help="machine-readable output")
    ask.set_defaults(handler=run_ask)

    ev = command(sub, "eval", help="retrieval and answer metrics over a questions file", epilog=EVAL_EPILOG)
    ev.add_argument("questions", type=Path, metavar="QUESTIONS.jsonl")
    ev.add_argument("-k", type=int, default=5, help="cut-off for hit@k and evidence@k (default 5)")
    ev.add_argument("--limit", type=int, help="only the first N questions")
    ev.add_argument("--json", action="store_true", help="the table as JSON")
    ev.add_argument("--details", type=Path, metavar="OUT.jsonl", help="one JSON line per question")
    ev.add_argument(
        "--no-thread",
        action="store_true",
        help="ask follow-ups on their own, without their earlier questions",
    )
    ev.set_defaults(handler=run_eval)


def bounded(answerer: Answerer, command: str, what: str, text: str) -> str:
    """``text`` as the answerer will take it, with a note on stderr when that cut it short."""
    kept = answerer.bounded(text)
    if kept != text:
        print(
            f"newsbot {command}: note: the {what} was shortened to its first {len(kept)} of {len(text)} "
            f"characters (NEWSBOT_MAX_QUESTION_CHARS={answerer.max_question_chars})",
            file=sys.stderr,
        )
    return kept


def left_out(answerer: Answerer, filters: SearchFilters, text: str) -> str:
    """The note that the date filter left out articles without a date, in ``text``'s language."""
    from bot.present.report import left_out_note
    from retrieval.search.searcher import question_language

    return left_out_note(answerer.undated_left_out(filters), question_language(text))


def run_search(args: argparse.Namespace, settings: Settings) -> int:
    from bot.present.shown import without_weak
    from bot.present.text import format_search
    from bot.wiring import build_answerer
    from retrieval.answer.answer_json import passage_json
    from retrieval.entities.mentioned import entity_names, most_mentioned

    if wants_csv(args):
        return run_search_csv(args, settings)
    answerer = build_answerer(settings)
    filters = parse_filters(args, answerer.outlets())
    query = bounded(answerer, "search", "query", args.query)
    passages = answerer.search(query, args.k, filters, all_copies=args.all).passages
    shown = passages if args.all else without_weak(passages)[0]
    names = entity_names(answerer.store, shown)
    if args.json:
        print(json.dumps([passage_json(p, names) for p in shown], ensure_ascii=False, indent=2))
    else:
        mentioned = most_mentioned(shown, names)
        print(format_search(query, passages, show_all=args.all, mentioned=mentioned))
    if note := left_out(answerer, filters, query):
        print(f"({note})", file=sys.stderr if args.json else sys.stdout)
    return 0


def run_search_csv(args: argparse.Namespace, settings: Settings) -> int:
    """``search --csv``: every passage found, up to ``--limit``, written as it is read."""
    from bot.present.csv_export import SEARCH_COLUMNS
    from bot.search_export import exporting, search_rows
    from bot.wiring import build_answerer, load_embeddings

    embeddings = load_embeddings(settings)
    answerer = exporting(build_answerer(settings, embeddings=embeddings), embeddings, args.limit)
    filters = parse_filters(args, answerer.outlets())
    query = bounded(answerer, "search", "query", args.query)
    print_csv(SEARCH_COLUMNS, search_rows(answerer, query, filters, args.limit, all_copies=args.all))
    return 0


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.present.report import with_note
    from bot.present.text import format_answer
    from bot.wiring import build_answerer
    from retrieval.answer.answer_json import answer_json

    answerer = build_answerer(settings)
    filters = parse_filters(args, answerer.outlets())
    question = bounded(answerer, "ask", "question", args.question)
    answer = answerer.ask(question, filters, all_copies=args.all)
    answer = with_note(answer, left_out(answerer, filters, question))
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
    else:
        print(format_answer(answer))
    return 0


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import build_answerer
    from retrieval.evaluation import detail, format_table, load_questions, run_questions, summarise

    questions = load_questions(args.questions, args.limit)
    if not questions:
        raise ConfigError(f"{args.questions}: no questions")
    answerer = build_answerer(settings)
    answerer.k = max(answerer.k, args.k)
    answerer.ask("warm up")  # load the model outside the timings
    outcomes = run_questions(
        questions, lambda q, thread: answerer.ask(q, thread=thread), args.k, threads=not args.no_thread
    )
    table = summarise(outcomes, args.k)
    if args.details:
        with args.details.open("w", encoding="utf-8") as f:
            for o in outcomes:
                f.write(json.dumps(detail(o), ensure_ascii=False) + "\n")
    print(json.dumps(table, ensure_ascii=False, indent=2) if args.json else format_table(table))
    return 0
