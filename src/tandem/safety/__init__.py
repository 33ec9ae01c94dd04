"""Responsible AI: harm categories with severity, prompt shields, PII, policies, review."""
