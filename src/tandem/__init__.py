"""Tandem: a self-hostable AI platform with OpenAI- and Azure-compatible APIs."""

__version__ = "0.1.0"
