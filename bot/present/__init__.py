"""What newsbot shows of its records, for both edges: plain text and JSON for the command line, Telegram
HTML for the bot, the timeline's chart, and every localized word (:mod:`bot.present.phrases`).

Pure functions over ``retrieval``'s records; nothing here imports Telegram, and only
:mod:`bot.present.chart` imports matplotlib.
"""
