"""Runs in the background: one asyncio task per run (it outlives the request that made it),
items a few at a time across all runs, behind interactive traffic, each item's verdict
stored as it is graded so a cancelled or interrupted run keeps what it did."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tandem.apps.evals.graders import GradeEnv, Grader, GraderError, Usage, compile_criteria
from tandem.apps.evals.sampling import SampleError, Sampler
from tandem.apps.evals.settings import EvalsSettings
from tandem.apps.evals.store import FINAL, EvalStore
from tandem.backends.generation_queue import BACKGROUND
from tandem.gateway.service import CallContext, ModelService
from tandem.governance.principal import Principal
from tandem.safety.classifier import Classifier
from tandem.stateful.batch_runner import principal_of
from tandem.stateful.ids import new_id, utcnow
from tandem.store.models import EvalOutputItemRow, EvalRunRow
from tandem.wire import JSONObject

log = logging.getLogger(__name__)

STATUS_POLL_S = 2.0
Rows = list[JSONObject]
SamplerFactory = Callable[[EvalRunRow], Sampler | None]


@dataclass
class Tally:
    """A run's counts so far."""

    names: list[str]
    passed: int = 0
    failed: int = 0
    errored: int = 0
    per: dict[str, list[int]] = field(default_factory=dict)

    def add(self, status: str, results: list[JSONObject]) -> None:
        """Count one graded item."""
        if status == "pass":
            self.passed += 1
        elif status == "fail":
            self.failed += 1
        else:
            self.errored += 1
        for result in results:
            counts = self.per.setdefault(result["name"], [0, 0])
            counts[0 if result.get("passed") else 1] += 1

    def values(self, usage: dict[str, Usage]) -> dict[str, Any]:
        """The run row's counters."""
        total = self.passed + self.failed + self.errored
        return {
            "result_counts": {
                "total": total,
                "passed": self.passed,
                "failed": self.failed,
                "errored": self.errored,
            },
            "per_testing_criteria_results": [
                {
                    "testing_criteria": n,
                    "passed": self.per.get(n, [0, 0])[0],
                    "failed": self.per.get(n, [0, 0])[1],
                }
                for n in self.names
            ],
            "per_model_usage": [
                {
                    "model_name": m,
                    "invocation_count": u.invocation_count,
                    "prompt_tokens": u.prompt_tokens,
                    "completion_tokens": u.completion_tokens,
                    "total_tokens": u.prompt_tokens + u.completion_tokens,
                    "cached_tokens": u.cached_tokens,
                }
                for m, u in sorted(usage.items())
            ],
        }


class RunExecutor:
    """Starts, cancels and resumes runs in this process."""

    def __init__(
        self,
        store: EvalStore,
        models: ModelService,
        classifier: Classifier,
        embedding_deployment: str,
        settings: EvalsSettings,
        worker: str,
    ) -> None:
        self.store = store
        self.models = models
        self.classifier = classifier
        self.embedding_deployment = embedding_deployment
        self.settings = settings
        self.worker = worker
        self.slots = asyncio.Semaphore(settings.item_concurrency)
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.stopping = False

    def launch(self, run_id: str, rows: Rows, sampler: Sampler | None) -> None:
        """Run in the background (independent of the request that asked for it)."""
        task = asyncio.create_task(self._execute(run_id, rows, sampler), name=f"eval:{run_id}")
        self.tasks[run_id] = task
        task.add_done_callback(lambda _: self.tasks.pop(run_id, None))

    def cancel(self, run_id: str) -> None:
        """Stop a run executing here (its status is written by the caller)."""
        task = self.tasks.get(run_id)
        if task is not None:
            task.cancel()

    async def stop(self) -> None:
        """Stop every run here; they stay active in the database and resume on restart."""
        self.stopping = True
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _execute(self, run_id: str, rows: Rows, sampler: Sampler | None) -> None:
        token = BACKGROUND.set(True)
        try:
            await self._run(run_id, rows, sampler)
        except asyncio.CancelledError:
            if not self.stopping:
                await asyncio.to_thread(self.store.update_run, run_id, {"status": "canceled"})
            raise
        except Exception as exc:
            log.exception("eval run failed", extra={"run_id": run_id})
            error = {"code": "run_failed", "message": f"the run failed: {type(exc).__name__}"}
            await asyncio.to_thread(
                self.store.update_run, run_id, {"status": "failed", "error": error}
            )
        finally:
            BACKGROUND.reset(token)

    async def _run(self, run_id: str, rows: Rows, sampler: Sampler | None) -> None:
        run = await asyncio.to_thread(self.store.run, None, None, run_id)
        evaluation = await asyncio.to_thread(self.store.eval, run.tenant, run.eval_id)
        graders = compile_criteria(evaluation.testing_criteria, self.settings.max_template_chars)
        principal = principal_of(run.principal)
        env = self._env(principal, run_id)
        tally = Tally([g.name for g in graders])
        done: set[int] = set()
        for row in await asyncio.to_thread(self.store.done_items, run_id):
            done.add(row.datasource_item_id)
            tally.add(row.status, row.results)
        for entry in run.per_model_usage or []:
            env.usage[entry["model_name"]] = Usage(
                entry["invocation_count"],
                entry["prompt_tokens"],
                entry["completion_tokens"],
                entry.get("cached_tokens", 0),
            )
        await asyncio.to_thread(
            self.store.update_run, run_id, {"status": "in_progress", "worker": self.worker}
        )
        lock = asyncio.Lock()
        checked = [time.monotonic()]

        async def one(index: int, row: JSONObject) -> None:
            async with self.slots:
                if time.monotonic() - checked[0] > STATUS_POLL_S:
                    checked[0] = time.monotonic()
                    current = await asyncio.to_thread(self.store.run, None, None, run_id)
                    if current.status in FINAL:  # canceled on another replica
                        self.cancel(run_id)
                        return
                status, sample, results = await self._item(row, graders, sampler, env)
                item = EvalOutputItemRow(
                    id=new_id("outputitem", 24),
                    run_id=run_id,
                    eval_id=run.eval_id,
                    tenant=run.tenant,
                    datasource_item_id=index,
                    datasource_item=row["item"],
                    sample=sample,
                    results=results,
                    status=status,
                    created_at=utcnow(),
                )
                await asyncio.to_thread(self.store.add, item)
                async with lock:
                    tally.add(status, results)
                    await asyncio.to_thread(self.store.update_run, run_id, tally.values(env.usage))

        pending = [one(i, row) for i, row in enumerate(rows) if i not in done]
        await asyncio.gather(*pending)
        await asyncio.to_thread(
            self.store.update_run, run_id, {"status": "completed", **tally.values(env.usage)}
        )

    def _env(self, principal: Principal, run_id: str) -> GradeEnv:
        def ctx() -> CallContext:
            return CallContext(principal=principal, request_id=f"{run_id}:{uuid.uuid4().hex[:12]}")

        return GradeEnv(
            self.models,
            ctx,
            self.embedding_deployment,
            self.classifier,
            render_limit=self.settings.max_rendered_chars,
        )

    async def _item(
        self, row: JSONObject, graders: list[Grader], sampler: Sampler | None, env: GradeEnv
    ) -> tuple[str, JSONObject | None, list[JSONObject]]:
        try:
            return await asyncio.wait_for(
                self._grade(row, graders, sampler, env), self.settings.item_timeout_s
            )
        except TimeoutError:
            error = {"code": "timeout", "message": "sampling and grading took too long"}
            return "error", {"error": error}, []

    async def _grade(
        self, row: JSONObject, graders: list[Grader], sampler: Sampler | None, env: GradeEnv
    ) -> tuple[str, JSONObject | None, list[JSONObject]]:
        scope: dict[str, Any] = {"item": row["item"]}
        sample = row.get("sample")
        if sampler is not None:
            try:
                sample = await sampler.sample(scope, env)
            except SampleError as exc:
                return "error", {"error": {"code": "invalid_item", "message": str(exc)}}, []
            if sample.get("error"):
                return "error", sample, []
        if sample is not None:
            scope["sample"] = sample
        results: list[JSONObject] = []
        errored = False
        for grader in graders:
            base = {"name": grader.name, "type": grader.type, "sample": None}
            try:
                verdict = await grader.grade(scope, env)
            except GraderError as exc:
                errored = True
                results.append({**base, "score": 0.0, "passed": False, "error": str(exc)[:500]})
                continue
            results.append(
                {**base, "score": verdict.score, "passed": verdict.passed, **verdict.details}
            )
        if errored:
            return "error", sample, results
        return ("pass" if all(r["passed"] for r in results) else "fail"), sample, results
