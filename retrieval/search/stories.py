"""One story told once: passages grouped by the story their article tells (see
:mod:`retrieval.store.stories`).

Pure: over the candidates and passages, best first, and the stories read for their articles. The article
of a story's best-scored candidate stands for its story (:func:`tellers`); the passages of the story's
other articles (reprints, syndicated copies) are left out, and each passage shown lists them as its
``copies`` ("also in", :func:`group_by_story`). Used by search and, through it, by answers; ``--all``
(the bot's button) skips it and shows every copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from retrieval.records import ArticleInfo, Passage, Story
from retrieval.store.chunks import StoredChunk
from retrieval.store.stories import story_label


def group_by_story(passages: Sequence[Passage], stories: Mapping[str, Story]) -> list[Passage]:
    """``passages`` with each story shown by its best article only, which carries the others as
    ``copies``; a passage whose article has no story read stands alone."""
    shown: dict[str, str] = {}  # story -> the article that shows it
    grouped: list[Passage] = []
    for p in passages:
        story = stories.get(p.article_id)
        if story is None:
            grouped.append(p)
            continue
        if shown.setdefault(story.id, p.article_id) != p.article_id:
            continue
        copies = tuple(c for c in story.copies if c.article_id != p.article_id)
        grouped.append(replace(p, copies=copies, more_copies=story.more))
    return grouped


def tellers(pool: Sequence[StoredChunk], fused: np.ndarray, infos: Mapping[str, ArticleInfo]) -> np.ndarray:
    """For each candidate, whether its article is the one that shows its story: the article of the
    story's best-scored chunk (:func:`group_by_story` keeps the first passage of a story, and an
    article's best chunk always gives a passage). Every candidate in ``pool`` is visible: ``infos``
    holds its article."""
    teller: dict[str, str] = {}
    for i in map(int, np.argsort(-fused, kind="stable")):
        teller.setdefault(story_label(infos[pool[i].chunk.article_id]), pool[i].chunk.article_id)
    return np.array(
        [teller[story_label(infos[c.chunk.article_id])] == c.chunk.article_id for c in pool], dtype=bool
    )
