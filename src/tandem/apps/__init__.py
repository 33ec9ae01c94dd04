"""Products built on the platform's model service."""
