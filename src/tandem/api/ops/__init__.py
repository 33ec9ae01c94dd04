"""Operational routes: health, readiness, metrics."""
