"""Composing answers: passages in, a cited answer out (offline quotes, an LLM, or "not in the archive")."""
