"""The Telegram front-end: python-telegram-bot's ``Application`` with newsbot's handlers (:mod:`.app`).

Only this package imports ``telegram``. What it shows comes from :mod:`bot.present`; what it asks, from
the archive (:mod:`bot.archive`). :mod:`.handlers` holds what people do, one module per feature;
:mod:`.jobs` the background work (ingestions, feed rounds, alerts, channel posts); :mod:`.guards` who may
do what; :mod:`.services` the bot's state, reached as ``context.services`` (:mod:`.context`).
"""
