"""Answering a question about a dataset: plan (or ask the model), run in the sandbox,
chart, and remember the conversation for follow-ups."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.api.openai.service import CallContext, ModelService
from tandem.apps.analyst.charts import chart_spec, render_png
from tandem.apps.analyst.datasets import DatasetStore
from tandem.apps.analyst.model_plan import plan_prompt, plan_schema, to_plan
from tandem.apps.analyst.planner import Plan, plan_question, to_sql
from tandem.apps.analyst.sandbox import QueryResult, SandboxError, SandboxPool
from tandem.apps.analyst.schema import Schema
from tandem.errors import InvalidRequestError, NotFoundError
from tandem.store.paths import tenant_folder
from tandem.wire import ChatCompletionRequest

MAX_CONVERSATIONS = 1000


@dataclass
class Answer:
    """An answered question."""

    sql: str
    result: QueryResult
    chart: dict[str, Any] | None
    chart_id: str | None
    explanation: str
    method: str
    conversation_id: str


class AnalystService:
    """Questions over a tenant's datasets, answered with SQL, rows and a chart."""

    def __init__(
        self, datasets: DatasetStore, models: ModelService, charts_dir: Path, deployment: str
    ) -> None:
        self.datasets = datasets
        self.sandbox = SandboxPool()
        self.models = models
        self.charts_dir = charts_dir
        self.deployment = deployment
        self._conversations: OrderedDict[str, tuple[str, str, Plan]] = OrderedDict()

    async def ask(
        self,
        ctx: CallContext,
        dataset_id: str,
        question: str,
        conversation_id: str | None,
        method: str = "auto",
    ) -> Answer:
        """Answer `question` about a dataset (a follow-up when the conversation is known).

        `method`: "auto" (planner, then the model), "planner" or "model" only.
        """
        tenant = ctx.principal.tenant
        dataset = self.datasets.get(tenant, dataset_id)
        database = self.datasets.database(tenant, dataset_id)
        schema = Schema.of(dataset)
        conversation_id = conversation_id or f"conv_{uuid.uuid4().hex[:16]}"
        previous = self._previous(conversation_id, tenant, dataset_id)
        plan = plan_question(question, schema, previous) if method != "model" else None
        sql = to_sql(plan, schema) if plan is not None else None
        if sql is None and method == "planner":
            raise InvalidRequestError(
                "The planner did not understand the question; name a measure and a column, "
                "e.g. 'total revenue by region'.",
                param="question",
            )
        if plan is not None and sql is not None:
            result = await asyncio.to_thread(self.sandbox.run, database, sql, dataset.table_names)
            method, explanation = "planner", f"Computed the {plan.describe()}."
            self._remember(conversation_id, tenant, dataset_id, plan)
        else:
            sql, result, method = await self._ask_model(
                ctx, schema, database, dataset.table_names, question
            )
            explanation = (
                f"The model ({self.deployment}) wrote this SQL; it passed the sandbox's checks."
            )
        spec = chart_spec(result, question)
        chart_id = await asyncio.to_thread(self._save_chart, tenant, spec) if spec else None
        return Answer(sql, result, spec, chart_id, explanation, method, conversation_id)

    async def query(self, tenant: str, dataset_id: str, sql: str, max_rows: int) -> QueryResult:
        """Run one SELECT of the caller's own in the sandbox."""
        dataset = self.datasets.get(tenant, dataset_id)
        database = self.datasets.database(tenant, dataset_id)
        return await asyncio.to_thread(
            self.sandbox.run, database, sql, dataset.table_names, max_rows
        )

    def delete(self, tenant: str, dataset_id: str) -> None:
        """Delete a dataset, closing its sandbox connection first."""
        self.sandbox.forget(self.datasets.database(tenant, dataset_id))
        self.datasets.delete(tenant, dataset_id)

    def close(self) -> None:
        """Close every sandbox connection."""
        self.sandbox.close()

    def chart_path(self, tenant: str, chart_id: str) -> Path:
        """Where a rendered chart lives (404 for another tenant's or an unknown chart)."""
        if not re.fullmatch(r"ch_[0-9a-f]{16}", chart_id):
            raise NotFoundError(f"no chart '{chart_id}'")
        path = tenant_folder(self.charts_dir, tenant) / f"{chart_id}.png"
        if not path.is_file():
            raise NotFoundError(f"no chart '{chart_id}'")
        return path

    def _save_chart(self, tenant: str, spec: dict[str, Any]) -> str:
        chart_id = f"ch_{uuid.uuid4().hex[:16]}"
        folder = tenant_folder(self.charts_dir, tenant)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{chart_id}.png").write_bytes(render_png(spec))
        return chart_id

    def _previous(self, conversation_id: str, tenant: str, dataset_id: str) -> Plan | None:
        remembered = self._conversations.get(conversation_id)
        if remembered is None or remembered[:2] != (tenant, dataset_id):
            return None
        return remembered[2]

    def _remember(self, conversation_id: str, tenant: str, dataset_id: str, plan: Plan) -> None:
        self._conversations[conversation_id] = (tenant, dataset_id, plan)
        self._conversations.move_to_end(conversation_id)
        while len(self._conversations) > MAX_CONVERSATIONS:
            self._conversations.popitem(last=False)

    async def _ask_model(
        self, ctx: CallContext, schema: Schema, database: Path, tables: set[str], question: str
    ) -> tuple[str, QueryResult, str]:
        """A plan from the model under a schema of this dataset's columns, compiled to SQL
        and checked by the sandbox; one repair with the error when it fails."""
        messages: list[dict[str, str]] = [
            {"role": "system", "content": plan_prompt(schema)},
            {"role": "user", "content": question},
        ]
        problem = "no plan"
        for attempt in range(2):
            answer = await self._model_json(ctx, messages, plan_schema(schema))
            plan = to_plan(answer, schema) if answer is not None else None
            sql = to_sql(plan, schema) if plan is not None else None
            if sql is not None:
                try:
                    result = await asyncio.to_thread(self.sandbox.run, database, sql, tables)
                except SandboxError as exc:
                    problem = exc.message
                else:
                    return sql, result, "model" if attempt == 0 else "model (repaired)"
            else:
                problem = "the plan names no usable column or value"
            messages += [
                {"role": "assistant", "content": json.dumps(answer)},
                {"role": "user", "content": f"That plan failed: {problem}. Fix it."},
            ]
        raise InvalidRequestError(
            "The question could not be answered: it matched no known question shape and the "
            f"model's plan failed ({problem}). Try naming a measure and a column, e.g. "
            "'total revenue by region'.",
            param="question",
        )

    async def _model_json(
        self, ctx: CallContext, messages: list[dict[str, str]], schema: dict[str, Any]
    ) -> dict[str, Any] | None:
        request = ChatCompletionRequest.model_validate(
            {
                "messages": messages,
                "temperature": 0,
                "max_tokens": 300,
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "plan", "schema": schema},
                },
            }
        )
        reply = await self.models.generate(ctx, request, self.deployment)
        content = reply["choices"][0]["message"].get("content") or ""
        try:
            parsed = json.loads(content)
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, dict) else None
