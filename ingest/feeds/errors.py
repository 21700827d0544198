"""What can go wrong with a feed.

    NewsbotError
    ├── ConfigError
    │   └── FeedError          a bad feed URL, or a feed that is not in the list (bad usage)
    └── FetchError             one request failed: HTTP status, timeout, size cap, redirects, not a feed
        ├── BlockedAddress     the URL's host is on a loopback/private/link-local address (not allowed)
        └── FetchCancelled     the poll was asked to stop (Ctrl-C, /cancel, the bot stopping) mid-request

A :class:`FetchError` is per feed or per page: the poller reports it in that feed's outcome and goes on; a
:class:`FetchCancelled` ends the round.
"""

from __future__ import annotations

from retrieval.errors import ConfigError, NewsbotError


class FeedError(ConfigError):
    pass


class FetchError(NewsbotError):
    pass


class BlockedAddress(FetchError):
    pass


class FetchCancelled(FetchError):
    pass
