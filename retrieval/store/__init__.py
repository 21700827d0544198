"""The one place that sees Chroma."""
