"""The data-analysis assistant: datasets, a SQL sandbox, questions answered with tables."""
