"""Evals: OpenAI's Evals API (`/v1/evals`) over the platform's own model path, with graders
that need no strong judge model, and side-by-side comparison of deployments."""
