"""The bot's background work, which runs outside any one update and ends when the bot stops: an
ingestion (``/reingest``, an upload), the feed rounds, the alert rounds and the channel posts' ingestion.

Each is a task of its own that checks the bot's ``stopping`` event between its units of work; a stopping
bot waits for all of them together, a bounded time, then cancels what is left (:mod:`.tasks`).
"""
