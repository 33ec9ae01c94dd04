"""Evals, runs and output items in the platform database, per tenant (another tenant's row
is a 404, as a missing one). Every method is synchronous: callers use `asyncio.to_thread`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update

from tandem.stateful.ids import utcnow
from tandem.store.engine import Database
from tandem.store.models import EvalOutputItemRow, EvalRow, EvalRunRow
from tandem.store.owned import owned

ACTIVE = ("queued", "in_progress")
FINAL = frozenset({"completed", "failed", "canceled"})


def _after(ids: list[str], after: str | None, limit: int) -> tuple[list[str], bool]:
    """The page after `after` (an id of the listing), and whether more follow."""
    if after is not None and after in ids:
        ids = ids[ids.index(after) + 1 :]
    return ids[:limit], len(ids) > limit


class EvalStore:
    """Rows of the evals product."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- evals ---

    def add(self, row: EvalRow | EvalRunRow | EvalOutputItemRow) -> None:
        """Insert one row."""
        with self.db.session() as session, session.begin():
            session.add(row)

    def eval(self, tenant: str, eval_id: str) -> EvalRow:
        """An eval of `tenant`, or 404."""
        with self.db.session() as session:
            row = session.get(EvalRow, eval_id)
        return owned(row, tenant, "eval", eval_id, "eval_id")

    def evals(
        self, tenant: str, limit: int, after: str | None, order: str, order_by: str
    ) -> tuple[list[EvalRow], bool]:
        """A page of a tenant's evals."""
        column = EvalRow.updated_at if order_by == "updated_at" else EvalRow.created_at
        sort = (column.desc(), EvalRow.id.desc()) if order == "desc" else (column, EvalRow.id)
        with self.db.session() as session:
            ids = list(
                session.scalars(select(EvalRow.id).where(EvalRow.tenant == tenant).order_by(*sort))
            )
            page, more = _after(ids, after, limit)
            rows = {r.id: r for r in session.scalars(select(EvalRow).where(EvalRow.id.in_(page)))}
        return [rows[i] for i in page if i in rows], more

    def update_eval(self, tenant: str, eval_id: str, values: dict[str, Any]) -> EvalRow:
        """Change an eval's name or metadata."""
        self.eval(tenant, eval_id)
        with self.db.session() as session, session.begin():
            session.execute(
                update(EvalRow).where(EvalRow.id == eval_id).values(**values, updated_at=utcnow())
            )
        return self.eval(tenant, eval_id)

    def delete_eval(self, tenant: str, eval_id: str) -> list[str]:
        """Remove an eval with its runs and items; the ids of runs that were active."""
        self.eval(tenant, eval_id)
        with self.db.session() as session, session.begin():
            active = list(
                session.scalars(
                    select(EvalRunRow.id).where(
                        EvalRunRow.eval_id == eval_id, EvalRunRow.status.in_(ACTIVE)
                    )
                )
            )
            session.execute(delete(EvalOutputItemRow).where(EvalOutputItemRow.eval_id == eval_id))
            session.execute(delete(EvalRunRow).where(EvalRunRow.eval_id == eval_id))
            session.execute(delete(EvalRow).where(EvalRow.id == eval_id))
        return active

    # --- runs ---

    def run(self, tenant: str | None, eval_id: str | None, run_id: str) -> EvalRunRow:
        """A run (of `eval_id` when given) of `tenant` (any when None), or 404."""
        with self.db.session() as session:
            row = session.get(EvalRunRow, run_id)
        if row is not None and eval_id is not None and row.eval_id != eval_id:
            row = None
        return owned(row, tenant, "run", run_id, "run_id")

    def runs(
        self,
        tenant: str,
        eval_id: str,
        limit: int,
        after: str | None,
        order: str,
        status: str | None,
    ) -> tuple[list[EvalRunRow], bool]:
        """A page of an eval's runs."""
        query = select(EvalRunRow.id).where(
            EvalRunRow.tenant == tenant, EvalRunRow.eval_id == eval_id
        )
        if status:
            query = query.where(EvalRunRow.status == status)
        sort = (EvalRunRow.created_at, EvalRunRow.id)
        query = query.order_by(*(c.desc() for c in sort) if order == "desc" else sort)
        with self.db.session() as session:
            page, more = _after(list(session.scalars(query)), after, limit)
            rows = {
                r.id: r for r in session.scalars(select(EvalRunRow).where(EvalRunRow.id.in_(page)))
            }
        return [rows[i] for i in page if i in rows], more

    def run_counts(self, tenant: str, eval_ids: list[str]) -> dict[str, int]:
        """Runs per eval, in one grouped query (a listing does not ask once per row)."""
        if not eval_ids:
            return {}
        query = (
            select(EvalRunRow.eval_id, func.count())
            .where(EvalRunRow.tenant == tenant, EvalRunRow.eval_id.in_(eval_ids))
            .group_by(EvalRunRow.eval_id)
        )
        with self.db.session() as session:
            return {eval_id: int(n) for eval_id, n in session.execute(query)}

    def update_run(self, run_id: str, values: dict[str, Any], unless_final: bool = True) -> bool:
        """Write a run's progress; a run already final (canceled, say) is left alone."""
        query = update(EvalRunRow).where(EvalRunRow.id == run_id)
        if unless_final:
            query = query.where(EvalRunRow.status.not_in(FINAL))
        with self.db.session() as session, session.begin():
            done = session.execute(query.values(**values, updated_at=utcnow()))
        return bool(getattr(done, "rowcount", 0))

    def delete_run(self, tenant: str, eval_id: str, run_id: str) -> None:
        """Remove a run and its items."""
        self.run(tenant, eval_id, run_id)
        with self.db.session() as session, session.begin():
            session.execute(delete(EvalOutputItemRow).where(EvalOutputItemRow.run_id == run_id))
            session.execute(delete(EvalRunRow).where(EvalRunRow.id == run_id))

    def resumable(self, worker_prefix: str) -> list[str]:
        """Active runs a previous process on this host and data directory left behind."""
        with self.db.session() as session:
            return list(
                session.scalars(
                    select(EvalRunRow.id)
                    .where(
                        EvalRunRow.status.in_(ACTIVE),
                        EvalRunRow.worker.startswith(worker_prefix, autoescape=True),
                    )
                    .order_by(EvalRunRow.created_at)
                )
            )

    # --- output items ---

    def done_items(self, run_id: str) -> list[EvalOutputItemRow]:
        """Items a run has graded so far (to resume it)."""
        with self.db.session() as session:
            return list(
                session.scalars(select(EvalOutputItemRow).where(EvalOutputItemRow.run_id == run_id))
            )

    def item(self, tenant: str, run_id: str, item_id: str) -> EvalOutputItemRow:
        """An output item of a run, or 404."""
        with self.db.session() as session:
            row = session.get(EvalOutputItemRow, item_id)
        if row is not None and row.run_id != run_id:
            row = None
        return owned(row, tenant, "output item", item_id, "output_item_id")

    def items(
        self,
        tenant: str,
        run_id: str,
        limit: int,
        after: str | None,
        order: str,
        status: str | None,
    ) -> tuple[list[EvalOutputItemRow], bool]:
        """A page of a run's output items, in data source order."""
        query = select(EvalOutputItemRow.id).where(
            EvalOutputItemRow.tenant == tenant, EvalOutputItemRow.run_id == run_id
        )
        if status == "pass":
            query = query.where(EvalOutputItemRow.status == "pass")
        elif status == "fail":
            query = query.where(EvalOutputItemRow.status.in_(("fail", "error")))
        key = EvalOutputItemRow.datasource_item_id
        query = query.order_by(key.desc() if order == "desc" else key)
        with self.db.session() as session:
            page, more = _after(list(session.scalars(query)), after, limit)
            found = session.scalars(select(EvalOutputItemRow).where(EvalOutputItemRow.id.in_(page)))
            rows = {r.id: r for r in found}
        return [rows[i] for i in page if i in rows], more
