"""Backends: the things that actually produce completions and embeddings."""
