"""Knowledge bases: /v1/knowledge-bases."""
