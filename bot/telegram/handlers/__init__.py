"""What people do with the bot, one module per feature: questions (:mod:`.ask`), ``/search``, ``/help``
and ``/stats`` (:mod:`.about`), ``/timeline``, button presses (:mod:`.buttons`), inline queries,
follows, the administrators' commands (:mod:`.admin`, :mod:`.uploads`, :mod:`.feeds`) and channel posts.

Each handler is a few lines: admit (:mod:`bot.telegram.guards`), parse, call the archive off the event
loop, render (:mod:`bot.present`), reply. :func:`bot.telegram.app.add_handlers` routes updates to them.
"""
