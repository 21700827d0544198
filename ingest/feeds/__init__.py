"""News feeds (RSS 0.9x/1.0/2.0, Atom) ingested as articles, polled politely and incrementally.

    FeedRegistry(store).add("https://example.org/rss.xml")
    FeedPoller(store, embeddings, settings).poll()  ->  PollReport(outcomes=[FeedOutcome(...)])

The modules, one concept each:

- :mod:`.registry`: the feed list and each feed's state, in the store (``<collection>-feeds``);
- :mod:`.poll`: one round over the feeds under the ``feeds`` lease, ingesting through the pipeline;
- :mod:`.fetch`: the polite HTTP client (timeouts, size cap, checked redirects, conditional GET, delay);
- :mod:`.guard`: which URLs and addresses may be requested;
- :mod:`.entries`: feedparser's shapes to entries and articles (the one place that sees them);
- :mod:`.errors`: the feed errors, drawn.
"""
