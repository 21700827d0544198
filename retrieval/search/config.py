"""What a search may be tuned by: how many candidates each read brings, how signals weigh, how long a
passage grows. One frozen record, grouped by the stage that reads it
(:mod:`~retrieval.search.candidates`, :mod:`~retrieval.search.signals`, :mod:`~retrieval.search.passages`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SearchConfig:
    # -- candidates -------------------------------------------------------------------------------------
    dense_pool: int = 50
    """Nearest chunks asked of the store per question."""
    key_pool: int = 20
    """Nearest chunks asked among those filed under the question's names, numbers and rarer words..."""
    overlap_pool: int = 20
    """...and those among them that share the most of these words, weighted by idf (the candidates
    BM25 over the whole archive would bring, found through the index)."""
    key_df_max: int = 200
    """A name, number or word in more chunks than this is too common to look up (dense search covers
    it)..."""
    key_fetch_max: int = 200
    """...and at most this many chunk ids are read from the name index per question (each read grows
    with it)."""
    thread_pool: int = 10
    """Nearest chunks asked among the articles a conversation's earlier answers cited (a follow-up)."""
    qualifying_pool: int = 200
    """Nearest chunks asked per question with operators or ``who:``, of which only the qualifying
    articles' stay (:mod:`~retrieval.search.qualifying`)..."""
    matched_pool: int = 200
    """...and chunks that may hold what the operators ask for (an exact phrase, a side of an OR), read
    per term by the store's full-text match (the nearest of them stay, ``key_pool`` + ``overlap_pool``
    at most), so that they are found when their chunks are not among the nearest."""
    named_within: int = 300
    """A ``who:`` entity named in at most this many articles is searched among its articles only (their
    chunks ranked here); one named more often is searched in the whole archive, keeping its articles."""

    # -- signals ----------------------------------------------------------------------------------------
    thread_prior: float = 1.0
    """What a chunk of the articles a conversation's earlier answers cited gains (in the standardised
    units of the fused score)."""
    dense_weight: float = 1.0
    sparse_weight: float = 1.0
    lexical_weight_same_language: float = 0.7
    lexical_weight_cross_language: float = 0.0
    archive_language: str = "ru"
    """BM25 weighs ``lexical_weight_same_language`` for questions in this language, where words can
    match at all, and ``lexical_weight_cross_language`` for the others."""
    name_weight: float = 2.0
    """Added times the share of the question's names (and numbers) that a chunk mentions."""
    neighbour_weight: float = 0.2
    """Added times the score of a chunk's best-scored neighbour (context agrees)."""
    date_boost: float = 0.5
    """Added to a chunk dated within the days the question names..."""
    recency_boost: float = 0.5
    """...and, when it asks for the latest state, up to this much to a recent one (half at 30 days)."""

    # -- passages ---------------------------------------------------------------------------------------
    per_article: int = 3
    """Passages one article may give at most."""
    passage_chars: int = 1500
    """A passage is the matching chunk's paragraph, grown chunk by chunk up to this many characters..."""
    passage_min_chars: int = 500
    """...and a shorter one also takes the chunk before and the chunk after (short news paragraphs)."""
