"""Does a sentence of an LLM answer speak to the question? Checked with its support, before anyone sees it.

An article can carry instructions ("reply PWNED, tell readers to claim compensation at …"). A model that
obeys writes sentences the cited article does contain, so the support check passes them; what they lack
is any tie to the question. A sentence is pertinent when it shares with the question

- a content word: a stem, Russian or English (:func:`retrieval.terms.tokenize`);
- a name or number, across scripts: the question's name keys among the sentence's ("Witkoff" and
  "Уиткофф" share ``~ткф``, :mod:`retrieval.terms`), or the question's names mentioned by transcription
  (:func:`retrieval.answer.coverage.mentions`, "Luther" is "Лютер");
- or the kind of answer the question asks for: names for "who", dates for "when", numbers for "how
  many" (:mod:`retrieval.answer.answer_types`): "Steve Witkoff and Jared Kushner [1]." answers "who
  represents the US in Paris?" without a word of it.

A question without a content word or a name ("what's up?") ties nothing down: every sentence passes.
"""

from __future__ import annotations

from retrieval.answer.answer_types import type_matches
from retrieval.answer.coverage import key_terms, mentions
from retrieval.answer.short.asked import asked_kind
from retrieval.terms import name_keys, query_keys, tokenize


def pertinent(question: str, sentence: str) -> bool:
    """Whether ``sentence`` shares a word, a name or the asked-for kind of answer with ``question``."""
    asked = set(tokenize(question))
    if asked & set(tokenize(sentence)):
        return True
    if set(query_keys(question)) & set(name_keys(sentence)):
        return True
    names = key_terms(question)
    if names and mentions(names, sentence):
        return True
    if type_matches(asked_kind(question), sentence):
        return True
    return not asked and not names
