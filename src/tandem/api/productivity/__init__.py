"""HTTP surface of the productivity assistant."""
