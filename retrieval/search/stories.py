"""One story told once: passages grouped by the story their article tells (see
:mod:`retrieval.store.stories`).

Pure: over the passages, best first, and the stories read for their articles. The best passage's article
stands for its story; the passages of the story's other articles (reprints, syndicated copies) are left
out, and each passage shown lists them as its ``copies`` ("also in"). Used by search and, through it,
by answers; ``--all`` (the bot's button) skips it and shows every copy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from retrieval.records import Passage, Story


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
