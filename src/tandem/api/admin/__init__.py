"""Administrative routes under /admin."""
