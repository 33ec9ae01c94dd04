"""Evals and runs: checking specs (400s naming the field), loading a run's rows (inline or
from the Files API), and handing runs to the executor."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from jsonschema import Draft202012Validator, validators
from sqlalchemy import func, select

from tandem.apps.evals import schemas as s
from tandem.apps.evals.graders import compile_criteria
from tandem.apps.evals.objects import eval_object, output_item_object, page, run_object
from tandem.apps.evals.runner import Rows, RunExecutor
from tandem.apps.evals.sampling import Sampler
from tandem.apps.evals.settings import EvalsSettings
from tandem.apps.evals.store import ACTIVE, FINAL, EvalStore
from tandem.errors import InvalidRequestError, NotFoundError, PayloadTooLargeError
from tandem.governance.principal import Principal
from tandem.routing.deployments import DeploymentTable
from tandem.stateful.batch_runner import principal_json
from tandem.stateful.files import FileStore
from tandem.stateful.ids import new_id, utcnow
from tandem.stateful.responses import ResponsesService
from tandem.store.models import EvalRow, EvalRunRow
from tandem.wire import JSONObject


class EvalsService:
    """What the routes call."""

    def __init__(
        self,
        store: EvalStore,
        executor: RunExecutor,
        deployments: DeploymentTable,
        files: FileStore,
        responses: ResponsesService,
        settings: EvalsSettings,
    ) -> None:
        self.store = store
        self.executor = executor
        self.deployments = deployments
        self.files = files
        self.responses = responses
        self.settings = settings

    # --- evals ---

    async def create_eval(self, principal: Principal, body: s.EvalCreate) -> JSONObject:
        """Check the criteria (compiling them) and store the eval."""
        if len(body.testing_criteria) > self.settings.max_criteria:
            raise InvalidRequestError(
                f"an eval has at most {self.settings.max_criteria} testing criteria",
                param="testing_criteria",
            )
        compile_criteria(
            body.testing_criteria,
            self.settings.max_template_chars,
            lambda model, param: self.check_model(principal, model, param),
        )
        now = utcnow()
        row = EvalRow(
            id=new_id("eval", 32),
            tenant=principal.tenant,
            name=body.name or "",
            data_source_config=body.data_source_config.model_dump(),
            testing_criteria=[
                c.model_dump(by_alias=True, exclude_none=True) for c in body.testing_criteria
            ],
            metadata_=body.metadata,
            created_at=now,
            updated_at=now,
        )
        await asyncio.to_thread(self.store.add, row)
        return eval_object(row)

    def check_model(self, principal: Principal, model: str, param: str) -> None:
        """A deployment the caller may use, or a 400 naming the field."""
        if model not in self.deployments or not principal.may_use(model):
            raise InvalidRequestError(
                f"there is no deployment '{model[:64]}' (or this key may not use it)", param=param
            )

    async def get_eval(self, tenant: str, eval_id: str) -> JSONObject:
        """One eval."""
        return eval_object(await asyncio.to_thread(self.store.eval, tenant, eval_id))

    async def list_evals(
        self, tenant: str, limit: int, after: str | None, order: str, order_by: str
    ) -> JSONObject:
        """A page of evals."""
        rows, more = await asyncio.to_thread(
            self.store.evals, tenant, limit, after, order, order_by
        )
        return page([eval_object(r) for r in rows], more)

    async def update_eval(self, tenant: str, eval_id: str, body: s.EvalUpdate) -> JSONObject:
        """Rename an eval or replace its metadata."""
        values: dict[str, Any] = {}
        if body.name is not None:
            values["name"] = body.name
        if body.metadata is not None:
            values["metadata_"] = body.metadata
        row = await asyncio.to_thread(self.store.update_eval, tenant, eval_id, values)
        return eval_object(row)

    async def delete_eval(self, tenant: str, eval_id: str) -> JSONObject:
        """Delete an eval; its active runs stop."""
        for run_id in await asyncio.to_thread(self.store.delete_eval, tenant, eval_id):
            self.executor.cancel(run_id)
        return {"object": "eval.deleted", "deleted": True, "eval_id": eval_id}

    # --- runs ---

    async def create_run(self, principal: Principal, eval_id: str, body: s.RunCreate) -> JSONObject:
        """Check the data source, load and validate its rows, and start the run."""
        evaluation = await asyncio.to_thread(self.store.eval, principal.tenant, eval_id)
        active = await asyncio.to_thread(self._active_runs, principal.tenant)
        if active >= self.settings.max_active_runs:
            raise InvalidRequestError(
                f"{active} runs are already queued or running; wait for one to finish",
                param="data_source",
                code="too_many_runs",
            )
        source = body.data_source
        sampler = self._sampler(principal, source)
        rows = await self._rows(principal.tenant, source.source)
        include_sample = bool(evaluation.data_source_config.get("include_sample_schema"))
        await asyncio.to_thread(
            _validate_rows,
            rows,
            evaluation.data_source_config["item_schema"],
            include_sample and sampler is None,
        )
        now = utcnow()
        run = EvalRunRow(
            id=new_id("evalrun", 32),
            eval_id=eval_id,
            tenant=principal.tenant,
            name=body.name or f"{source.type} run",
            model=getattr(source, "model", None) or "",
            status="queued",
            data_source=source.model_dump(by_alias=True, exclude_none=True),
            principal=principal_json(principal),
            metadata_=body.metadata,
            error=None,
            result_counts={"total": 0, "passed": 0, "failed": 0, "errored": 0},
            per_model_usage=[],
            per_testing_criteria_results=[],
            worker=self.executor.worker,
            created_at=now,
            updated_at=now,
        )
        await asyncio.to_thread(self.store.add, run)
        self.executor.launch(run.id, rows, sampler)
        return run_object(run)

    def _active_runs(self, tenant: str) -> int:
        with self.store.db.session() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(EvalRunRow)
                    .where(EvalRunRow.tenant == tenant, EvalRunRow.status.in_(ACTIVE))
                )
                or 0
            )

    def _sampler(self, principal: Principal, source: s.DataSource) -> Sampler | None:
        if isinstance(source, s.JSONLSource):
            return None
        if source.model:
            self.check_model(principal, source.model, "data_source.model")
        return Sampler.build(
            source,
            self.settings.max_template_chars,
            self.settings.max_completion_tokens,
            self._prices,
            self.responses,
        )

    def _prices(self, model: str) -> tuple[float, float]:
        try:
            config = self.deployments.get(model).config
        except NotFoundError:
            return (0.0, 0.0)
        return (config.prompt_price_per_1k, config.completion_price_per_1k)

    async def _rows(self, tenant: str, source: s.FileContent | s.FileID | s.StoredSource) -> Rows:
        limit = self.settings.max_items
        if isinstance(source, s.StoredSource):
            raise InvalidRequestError(
                f"'{source.type}' sources read logs Tandem does not keep; send the rows as "
                "file_content or a file_id",
                param="data_source.source.type",
            )
        if isinstance(source, s.FileContent):
            if len(source.content) > limit:
                raise InvalidRequestError(
                    f"a run has at most {limit} items", param="data_source.source.content"
                )
            rows = [r.model_dump(exclude_none=True) for r in source.content]
            where = "data_source.source.content"
        else:
            _, data = await self.files.content(tenant, source.id)
            if len(data) > self.settings.max_source_bytes:
                raise PayloadTooLargeError(
                    f"a run's file is at most {self.settings.max_source_bytes} bytes"
                )
            rows = await asyncio.to_thread(_parse_jsonl, data, limit)
            where = "data_source.source.id"
        if not rows:
            raise InvalidRequestError("the data source has no items", param=where)
        await asyncio.to_thread(_check_sizes, rows, self.settings.max_item_bytes, where)
        return rows

    async def prepared(self, run: EvalRunRow) -> tuple[Rows, Sampler | None]:
        """A stored run's rows and sampler again (to resume it after a restart)."""
        body = s.RunCreate.model_validate({"data_source": run.data_source})
        sampler = None
        if not isinstance(body.data_source, s.JSONLSource):
            sampler = Sampler.build(
                body.data_source,
                self.settings.max_template_chars,
                self.settings.max_completion_tokens,
                self._prices,
                self.responses,
            )
        return await self._rows(run.tenant, body.data_source.source), sampler

    async def resume(self) -> int:
        """Restart the runs this host's previous process left active."""
        prefix = self.executor.worker.rsplit(":", 1)[0] + ":"
        resumed = 0
        for run_id in await asyncio.to_thread(self.store.resumable, prefix):
            run = await asyncio.to_thread(self.store.run, None, None, run_id)
            try:
                rows, sampler = await self.prepared(run)
            except Exception as exc:
                error = {"code": "resume_failed", "message": f"could not resume: {exc}"[:500]}
                await asyncio.to_thread(
                    self.store.update_run, run_id, {"status": "failed", "error": error}
                )
                continue
            self.executor.launch(run_id, rows, sampler)
            resumed += 1
        return resumed

    async def get_run(self, tenant: str, eval_id: str, run_id: str) -> JSONObject:
        """One run with its counts so far."""
        return run_object(await asyncio.to_thread(self.store.run, tenant, eval_id, run_id))

    async def list_runs(
        self,
        tenant: str,
        eval_id: str,
        limit: int,
        after: str | None,
        order: str,
        status: str | None,
    ) -> JSONObject:
        """A page of an eval's runs."""
        await asyncio.to_thread(self.store.eval, tenant, eval_id)
        rows, more = await asyncio.to_thread(
            self.store.runs, tenant, eval_id, limit, after, order, status
        )
        return page([run_object(r) for r in rows], more)

    async def cancel_run(self, tenant: str, eval_id: str, run_id: str) -> JSONObject:
        """Cancel a queued or running run (what it graded so far stays)."""
        run = await asyncio.to_thread(self.store.run, tenant, eval_id, run_id)
        if run.status in FINAL:
            raise InvalidRequestError(
                f"the run is {run.status} and cannot be canceled", param="run_id"
            )
        await asyncio.to_thread(self.store.update_run, run_id, {"status": "canceled"})
        self.executor.cancel(run_id)
        return await self.get_run(tenant, eval_id, run_id)

    async def delete_run(self, tenant: str, eval_id: str, run_id: str) -> JSONObject:
        """Delete a run and its items (a running one stops first). The run must be the
        tenant's: a 404 comes before anything is stopped."""
        await asyncio.to_thread(self.store.run, tenant, eval_id, run_id)
        self.executor.cancel(run_id)
        await asyncio.to_thread(self.store.delete_run, tenant, eval_id, run_id)
        return {"object": "eval.run.deleted", "deleted": True, "run_id": run_id}

    async def list_items(
        self,
        tenant: str,
        eval_id: str,
        run_id: str,
        limit: int,
        after: str | None,
        order: str,
        status: str | None,
    ) -> JSONObject:
        """A page of a run's graded items."""
        await asyncio.to_thread(self.store.run, tenant, eval_id, run_id)
        rows, more = await asyncio.to_thread(
            self.store.items, tenant, run_id, limit, after, order, status
        )
        return page([output_item_object(r) for r in rows], more)

    async def get_item(self, tenant: str, eval_id: str, run_id: str, item_id: str) -> JSONObject:
        """One graded item."""
        await asyncio.to_thread(self.store.run, tenant, eval_id, run_id)
        return output_item_object(await asyncio.to_thread(self.store.item, tenant, run_id, item_id))


def _parse_jsonl(data: bytes, limit: int) -> Rows:
    """Rows of a JSONL file: `{"item": ..., "sample": ...}` lines, or bare items."""
    rows: Rows = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        if len(rows) >= limit:
            raise InvalidRequestError(
                f"a run has at most {limit} items", param="data_source.source.id"
            )
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InvalidRequestError(
                f"line {number} of the file is not JSON: {exc}"[:300], param="data_source.source.id"
            ) from exc
        if not isinstance(value, dict):
            raise InvalidRequestError(
                f"line {number} of the file is not a JSON object", param="data_source.source.id"
            )
        if isinstance(value.get("item"), dict) and set(value) <= {"item", "sample"}:
            rows.append(value)
        else:
            rows.append({"item": value})
    return rows


def _check_sizes(rows: Rows, max_bytes: int, where: str) -> None:
    for i, row in enumerate(rows):
        if len(orjson.dumps(row)) > max_bytes:
            raise InvalidRequestError(
                f"item {i} is over {max_bytes} bytes of JSON", param=f"{where}[{i}]"
            )


def _validate_rows(rows: Rows, schema: dict[str, Any], need_sample: bool) -> None:
    """Every item matches the eval's item schema (a 400 naming the first that does not)."""
    validator = validators.validator_for(schema, default=Draft202012Validator)(schema)
    for i, row in enumerate(rows):
        error = next(iter(validator.iter_errors(row["item"])), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            raise InvalidRequestError(
                f"item {i} does not match the eval's item_schema at {where}: {error.message}"[:500],
                param=f"data_source.source.content[{i}].item",
            )
        if need_sample and not isinstance(row.get("sample"), dict):
            raise InvalidRequestError(
                f"item {i} has no sample; the eval expects samples (include_sample_schema) and "
                "a jsonl run must bring them",
                param=f"data_source.source.content[{i}].sample",
            )
