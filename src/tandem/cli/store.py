"""Opening the platform's database from the command line (same settings as the server)."""

from __future__ import annotations

from pathlib import Path

from tandem.config import Settings, load_settings
from tandem.store.engine import Database, database_url

CLI_ACTOR = "cli"


def open_database(config: Path | None) -> tuple[Settings, Database]:
    """Settings and an up-to-date database, as `tandem serve` would use them."""
    settings = load_settings(config)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(database_url(settings.database_url, settings.data_dir))
    db.upgrade()
    return settings, db
