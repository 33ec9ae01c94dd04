"""Routing: deployments to backends, with retries, fallback, balancing and cooldown."""
