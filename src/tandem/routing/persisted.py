"""Deployments added at run time, kept in the database (shared by every replica)."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tandem.config import DeploymentConfig
from tandem.store.changes import announce
from tandem.store.engine import Database
from tandem.store.models import RuntimeDeployment

TOPIC = "deployments"


class PersistedDeployments:
    """Runtime deployment configs in the `deployments` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def load(self) -> list[DeploymentConfig]:
        """The saved deployments."""
        with self.db.session() as session:
            rows = session.query(RuntimeDeployment).order_by(RuntimeDeployment.created_at)
            return [DeploymentConfig.model_validate(r.config) for r in rows]

    def add(self, config: DeploymentConfig) -> None:
        """Remember a deployment."""
        with self.db.session() as session, session.begin():
            session.merge(
                RuntimeDeployment(
                    name=config.name,
                    config=config.model_dump(mode="json"),
                    created_at=datetime.now(UTC),
                )
            )
            announce(session, TOPIC)

    def remove(self, name: str) -> None:
        """Forget a deployment."""
        with self.db.session() as session, session.begin():
            session.execute(delete(RuntimeDeployment).where(RuntimeDeployment.name == name))
            announce(session, TOPIC)


def fingerprint(session: Session) -> Hashable:
    """What moves whenever a runtime deployment is added or removed (SQLite watching)."""
    row = session.execute(
        select(func.count(), func.max(RuntimeDeployment.created_at)).select_from(RuntimeDeployment)
    ).one()
    return tuple(row)
