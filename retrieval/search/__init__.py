"""Finding passages: a question in, ranked passages out.

:class:`retrieval.search.searcher.Searcher` runs the three stages, each in a module of its own:
:mod:`~retrieval.search.candidates` (the reads), :mod:`~retrieval.search.signals` (scoring each
candidate) and :mod:`~retrieval.search.passages` (choosing and building what is returned). Beside them:
:mod:`~retrieval.search.dates` (dates in questions and filters), :mod:`~retrieval.search.filters` (hard
filters from what a person typed), :mod:`~retrieval.search.operators` (exact phrases, words left out,
OR), :mod:`~retrieval.search.mentions` and :mod:`~retrieval.search.timeline` (which articles mention
some words, and when).
"""
