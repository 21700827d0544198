"""Follows: chats told when newly ingested articles match their words (store, matching)."""
