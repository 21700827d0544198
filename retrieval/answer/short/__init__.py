"""The short answer line: the words of a quote that answer a factoid question, typed, in the reader's
language (:mod:`.asked` what the question asks for, :mod:`.spans` the typed spans of a sentence,
:mod:`.extract` the choice, :mod:`.english` the rendering for an English reader)."""
