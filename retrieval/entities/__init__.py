"""Who and what a text names: people, organisations and places (:mod:`retrieval.entities.recognise`)."""
