"""Persistence: SQLAlchemy models, the engine, Alembic migrations."""
