"""Analyst conversations in the platform database, so a follow-up question ("and by
month?") continues the last answer on whichever replica or worker it reaches.

A conversation keeps the plan of its last answered question. Plans are dataclasses of this
package holding dates, tuples and sqlglot expressions; they are stored as tagged JSON
(`encode`/`decode`), never pickled: only dataclasses of `tandem.apps.analyst` are rebuilt,
and expressions are re-parsed from SQL. A plan that no longer decodes (the code changed
since it was stored) is no conversation: the question is answered on its own.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlglot
from sqlalchemy import delete
from sqlglot import exp

from tandem.apps.analyst.plan import Plan
from tandem.store.engine import Database
from tandem.store.models import AnalystConversationRow

log = logging.getLogger(__name__)

KEEP_DAYS = 30
PRUNE_EVERY = 200  # writes between removals of conversations idle for KEEP_DAYS
MAX_ID = 64
_PACKAGE = "tandem.apps.analyst."


def encode(value: Any) -> Any:
    """`value` as JSON: dataclasses, tuples, dates and expressions tagged."""
    if isinstance(value, exp.Expr):
        return {"$sql": value.sql(dialect="duckdb")}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$dataclass": f"{kind.__module__}:{kind.__qualname__}", "fields": fields}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in a conversation")


def decode(value: Any) -> Any:
    """The value `encode` gave, rebuilt."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "$sql" in value:
        return sqlglot.parse_one(value["$sql"], dialect="duckdb")
    if "$tuple" in value:
        return tuple(decode(v) for v in value["$tuple"])
    if "$dict" in value:
        return {decode(k): decode(v) for k, v in value["$dict"]}
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$dataclass" in value:
        module, _, name = str(value["$dataclass"]).partition(":")
        if not module.startswith(_PACKAGE):
            raise ValueError(f"not a plan class: {module}")
        kind: Any = getattr(importlib.import_module(module), name)
        if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
            raise ValueError(f"not a plan class: {name}")
        fields = {k: decode(v) for k, v in value["fields"].items()}
        return kind(**fields)
    raise ValueError("not an encoded plan")


class Conversations:
    """The last plan of each conversation, per tenant and dataset."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._writes = 0

    def previous(self, conversation_id: str, tenant: str, dataset_id: str) -> Plan | None:
        """The plan the conversation last answered, if it is this tenant's on this dataset."""
        if len(conversation_id) > MAX_ID:
            return None
        with self.db.session() as session:
            row = session.get(AnalystConversationRow, conversation_id)
        if row is None or (row.tenant, row.dataset_id) != (tenant, dataset_id):
            return None
        try:
            plan = decode(row.plan)
        except (ValueError, TypeError, KeyError, AttributeError, ImportError, sqlglot.ParseError):
            log.warning("conversation %s holds a plan this version cannot read", conversation_id)
            return None
        return plan if isinstance(plan, Plan) else None

    def remember(self, conversation_id: str, tenant: str, dataset_id: str, plan: Plan) -> None:
        """Keep `plan` as the conversation's last (another tenant's id is not taken over)."""
        if len(conversation_id) > MAX_ID:
            return
        now = datetime.now(UTC)
        with self.db.session() as session, session.begin():
            row = session.get(AnalystConversationRow, conversation_id, with_for_update=True)
            if row is None:
                session.add(
                    AnalystConversationRow(
                        id=conversation_id,
                        tenant=tenant,
                        dataset_id=dataset_id,
                        plan=encode(plan),
                        updated_at=now,
                    )
                )
            elif row.tenant == tenant:
                row.dataset_id, row.plan, row.updated_at = dataset_id, encode(plan), now
            self._writes += 1
            if self._writes % PRUNE_EVERY == 0:
                session.execute(
                    delete(AnalystConversationRow).where(
                        AnalystConversationRow.updated_at < now - timedelta(days=KEEP_DAYS)
                    )
                )
