"""HTTP surfaces, one folder each: router (routes), schemas (wire models), service (logic)."""
