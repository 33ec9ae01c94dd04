"""Azure AI Language surface: PII entity recognition."""
