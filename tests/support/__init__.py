"""Support assistant tests."""
