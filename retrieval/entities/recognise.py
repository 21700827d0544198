"""Named entities in Russian text: the one place that imports natasha.

natasha's slovnet NER tagger (weights inside its wheel, with the navec embeddings: offline, MIT) finds
people (``PER``), organisations (``ORG``) and places (``LOC``). It is trained on Russian news and finds
little in English text. What an article names, each entity once, is :mod:`retrieval.entities.article`'s;
``bench/entities.py`` measures both against NEREL's annotations.

    recognise("Встречу принимает президент Франции Эммануэль Макрон.")
    -> (Entity("place", "Франции", 28, 35), Entity("person", "Эммануэль Макрон", 36, 52))

The tagger loads on first use (~0.7 s, ~100 MB) and is shared by every thread: its calls are pure numpy.
Results of recent texts are remembered, since the same sentences come back as candidates of many
questions.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Any

KINDS = {"PER": "person", "ORG": "organization", "LOC": "place"}
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Entity:
    """A name found in a text: its kind (``person``, ``organization``, ``place``) and where it stands,
    ``text[start:end] == self.text``."""

    kind: str
    text: str
    start: int
    end: int


@functools.cache
def _tagger() -> tuple[Any, Any]:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def _loaded() -> tuple[Any, Any]:
    with _lock:  # one load, whichever thread asks first
        return _tagger()


@functools.lru_cache(maxsize=4096)
def recognise(text: str) -> tuple[Entity, ...]:
    """The people, organisations and places ``text`` names, in order."""
    if not text.strip():
        return ()
    from natasha import Doc

    segmenter, tagger = _loaded()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return tuple(
        Entity(KINDS[span.type], text[span.start : span.stop], span.start, span.stop)
        for span in doc.spans
        if span.type in KINDS
    )
