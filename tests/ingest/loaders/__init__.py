"""Files to articles: one test module a job of `ingest/loaders`."""
