"""Opening the platform's database from the command line (same settings as the server)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import make_url, select
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute

from tandem.cli.http import fail
from tandem.cli.ids import pick
from tandem.config import Settings, load_settings
from tandem.store.engine import Database, database_url

CLI_ACTOR = "cli"
DATABASE_HINT = (
    "these commands work on the database directly: set database_url in tandem.toml "
    "(--config) or TANDEM_DATABASE_URL to the server's, e.g. postgresql://user@host/db"
)


def _redacted(url: str) -> str:
    """The URL without its password."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}{sep}{credentials.split(':', 1)[0]}:***@{host}"


def _reason(exc: BaseException) -> str:
    """The first line of what the driver said, without SQLAlchemy's boilerplate."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return text[0] if text else type(original).__name__


def open_database(config: Path | None) -> tuple[Settings, Database]:
    """Settings and an up-to-date database, as `tandem serve` would use them; a config or a
    database that cannot be opened is one line naming what to set, never a traceback."""
    try:
        settings = load_settings(config)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        fail(f"setting {where}: {first['msg']} (check --config / TANDEM_CONFIG and TANDEM_*)")
    except (FileNotFoundError, ValueError) as exc:  # tomllib's errors are ValueErrors
        fail(f"cannot read the settings: {_reason(exc)} (check --config / TANDEM_CONFIG)")
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(
            f"cannot make the data folder {settings.data_dir} ({exc.strerror}); set TANDEM_DATA_DIR"
        )
    url = database_url(settings.database_url, settings.data_dir)
    shown = _redacted(settings.database_url or url)
    try:
        db = Database(url)
        db.upgrade()
    except (ArgumentError, ImportError) as exc:
        fail(f"'{shown}' is not a database URL Tandem can use ({_reason(exc)}); {DATABASE_HINT}")
    except SQLAlchemyError as exc:
        fail(f"cannot open the database at {shown}: {_reason(exc)}; {DATABASE_HINT}")
    return settings, db


def where(db: Database) -> str:
    """The database a command used, as a person checks it against the server's."""
    return make_url(db.url).render_as_string(hide_password=True).replace("+psycopg", "")


def by_prefix(db: Database, column: InstrumentedAttribute[str], given: str, what: str) -> str:
    """The whole id in `column` that `given` is or begins (given itself when none is, so the
    store's own 'not found' is reported); several is an error listing them."""
    with db.session() as session:
        query = select(column).where(column.startswith(given, autoescape=True)).limit(100)
        found = session.scalars(query).all()
    return pick(given, [str(i) for i in found], what) or given
