"""The Azure OpenAI-compatible surface under /openai/deployments/{deployment}/..."""
