"""Finding passages: a question in, ranked passages out (candidates from the store, rescoring, dates)."""
