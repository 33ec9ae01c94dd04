"""Azure AI Content Safety-compatible routes, OpenAI moderations, and safety administration."""
