"""The web console: the platform and its products in a browser (server-rendered)."""
