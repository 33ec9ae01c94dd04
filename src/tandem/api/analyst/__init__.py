"""The data-analysis surface: /v1/datasets."""
