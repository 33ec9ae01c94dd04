"""Answering a question about a dataset: plan (or ask the model), run in the sandbox,
chart, and remember the conversation (in the database) for follow-ups."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from tandem.apps.analyst.answers import (
    Answer,
    clarified,
    hint,
    not_understood,
    skipped_answer,
    skipped_named,
    unanswerable,
)
from tandem.apps.analyst.chart_files import ChartFiles
from tandem.apps.analyst.charts import chart_spec, render_png
from tandem.apps.analyst.compile import CompileError, Compiler
from tandem.apps.analyst.conversations import Conversations
from tandem.apps.analyst.datasets import Dataset, DatasetStore, data_today
from tandem.apps.analyst.dictionary import parse as parse_dictionary
from tandem.apps.analyst.linking import Item, Kind
from tandem.apps.analyst.model_plan import plan_prompt, plan_schema, to_plan
from tandem.apps.analyst.parser import parse
from tandem.apps.analyst.plan import Clarification, Plan
from tandem.apps.analyst.sandbox import QueryResult, SandboxError, SandboxPool
from tandem.apps.analyst.semantic import SemanticModel, is_key, propose
from tandem.apps.analyst.validation import check, columns_of
from tandem.config import DEFAULT_EMBEDDING_DEPLOYMENT
from tandem.errors import InvalidRequestError, TandemError
from tandem.gateway.service import CallContext, ModelService
from tandem.wire import ChatCompletionRequest, EmbeddingRequest

log = logging.getLogger(__name__)

MAX_NAME_VECTORS = 256  # datasets whose names' embeddings are kept per process
# Cosine above which an unlinked phrase is taken for a model name, and the lead it needs over
# the next thing: MiniLM puts "profit" at 0.73 from "revenue", which must not link.
EMBED_MATCH = 0.75
MARGIN = 0.05


class AnalystService:
    """Questions over a tenant's datasets, answered with SQL, rows and a chart."""

    def __init__(
        self,
        datasets: DatasetStore,
        models: ModelService,
        charts: ChartFiles,
        conversations: Conversations,
        deployment: str,
        embedding_deployment: str = DEFAULT_EMBEDDING_DEPLOYMENT,
    ) -> None:
        self.datasets = datasets
        self.sandbox = SandboxPool()
        self.models = models
        self.charts = charts
        self.conversations = conversations
        self.deployment = deployment
        self.embedding_deployment = embedding_deployment
        self._vectors: dict[
            tuple[str, str, str], tuple[list[tuple[Kind, Item]], list[str], Any]
        ] = {}

    def semantic_model(self, tenant: str, dataset_id: str) -> SemanticModel:
        """The dataset's semantic model: the user's, else the proposed one."""
        return self._model_of(tenant, self.datasets.get(tenant, dataset_id))

    def _model_of(self, tenant: str, dataset: Dataset) -> SemanticModel:
        given = self.datasets.semantic_model(tenant, dataset.id)
        return SemanticModel.from_json(given) if given is not None else propose(dataset)

    def set_dictionary(
        self, tenant: str, dataset_id: str, text: str, filename: str
    ) -> SemanticModel:
        """Replace the model with one read from a dictionary (Markdown or YAML)."""
        dataset = self.datasets.get(tenant, dataset_id)
        return self._save_model(tenant, dataset_id, parse_dictionary(text, filename, dataset))

    def set_model(self, tenant: str, dataset_id: str, data: dict[str, Any]) -> SemanticModel:
        """Replace the model with one given as JSON (the shape GET returns)."""
        dataset = self.datasets.get(tenant, dataset_id)
        try:
            model = SemanticModel.from_json({**data, "source": "user"})
        except (TypeError, ValueError) as exc:
            raise InvalidRequestError(
                f"not a semantic model: {exc}", param="semantic_model"
            ) from exc
        check(model, dataset)
        return self._save_model(tenant, dataset_id, model)

    def _save_model(self, tenant: str, dataset_id: str, model: SemanticModel) -> SemanticModel:
        self.datasets.set_semantic_model(tenant, dataset_id, model.to_json())
        return model

    async def ask(
        self,
        ctx: CallContext,
        dataset_id: str,
        question: str,
        conversation_id: str | None,
        method: str = "auto",
        today: date | None = None,
    ) -> Answer:
        """Answer `question` about a dataset (a follow-up when the conversation is known).

        `method`: "auto" (planner, then the model), "planner" or "model" only.
        """
        tenant = ctx.principal.tenant
        dataset = await asyncio.to_thread(self.datasets.get, tenant, dataset_id)
        model = await asyncio.to_thread(self._model_of, tenant, dataset)
        columns = columns_of(dataset)
        today = today or data_today(dataset)
        conversation_id = conversation_id or f"conv_{uuid.uuid4().hex[:16]}"
        if (skipped := skipped_named(model, question)) is not None:
            return skipped_answer(model, skipped, dataset_id, conversation_id)
        planned: Plan | Clarification | None = None
        if method != "model":
            previous = await asyncio.to_thread(
                self.conversations.previous, conversation_id, tenant, dataset_id
            )
            planned = parse(question, model, columns, today, previous)
            if isinstance(planned, Clarification):
                hints = await self._hints(ctx, tenant, dataset_id, model, planned)
                if hints:
                    planned = parse(question, model, columns, today, previous, hints)
        if isinstance(planned, Clarification):
            return clarified(planned, conversation_id)
        database = await asyncio.to_thread(self.datasets.database, tenant, dataset_id)
        sql = _compiled(model, columns, planned) if planned is not None else None
        result: QueryResult | None = None
        problem = "the SQL could not be built"
        if planned is not None and sql is not None:
            try:
                result = await asyncio.to_thread(
                    self.sandbox.run, database, sql, dataset.table_names
                )
            except SandboxError as exc:
                if method == "planner":
                    raise
                problem = exc.message  # the planner's SQL failed: the model gets its turn
        if result is not None and planned is not None and sql is not None:
            method, explanation = "planner", f"Computed the {planned.interpretation()}"
        else:
            if method == "planner":
                raise InvalidRequestError(
                    f"The planner did not understand the question; {hint(model)}",
                    param="question",
                )
            try:
                sql, result, method, planned = await self._ask_model(
                    ctx, model, columns, database, dataset.table_names, question
                )
            except InvalidRequestError as exc:
                if planned is None and method == "model":
                    raise
                if planned is None:
                    return not_understood(model, exc.message, conversation_id)
                return unanswerable(model, planned, problem, conversation_id)
            explanation = (
                f"The model ({self.deployment}) filled in the plan; it passed the sandbox's checks."
            )
        await asyncio.to_thread(
            self.conversations.remember, conversation_id, tenant, dataset_id, planned
        )
        spec = chart_spec(result, question)
        chart_id = await self._chart(tenant, spec) if spec else None
        return Answer(
            sql,
            result,
            spec,
            chart_id,
            explanation,
            method,
            conversation_id,
            interpretation=planned.interpretation(),
        )

    async def _chart(self, tenant: str, spec: dict[str, Any]) -> str | None:
        """The chart saved as a PNG, or None: a chart that cannot be drawn never costs the
        answer it illustrates."""
        try:
            return await asyncio.to_thread(self._save_chart, tenant, spec)
        except (ValueError, TypeError, OverflowError, OSError) as exc:
            log.warning("chart not drawn: %s", exc)
            return None

    async def _hints(
        self,
        ctx: CallContext,
        tenant: str,
        dataset_id: str,
        model: SemanticModel,
        asked: Clarification,
    ) -> dict[str, tuple[Kind, Item]]:
        """The unlinked phrases (and their words) matched to the model's names, synonyms and
        descriptions by MiniLM embeddings, where one name is clearly closest; the
        clarification's candidates are put in order of closeness either way."""
        spans: list[str] = []
        for phrase in asked.phrases:
            parts = phrase.split()
            spans += [
                " ".join(parts[i:j]) for i in range(len(parts)) for j in range(len(parts), i, -1)
            ]
        spans = list(dict.fromkeys(s for s in spans if len(s) >= 3))
        if not spans:
            return {}
        try:
            items, names, matrix = await self._name_vectors(ctx, tenant, dataset_id, model)
            vectors = await self._embed(ctx, spans)
        except TandemError:
            return {}  # no embedding deployment here: the clarification stands
        scores = vectors @ matrix.T
        hints: dict[str, tuple[Kind, Item]] = {}
        for i, span in enumerate(spans):
            order = scores[i].argsort()[::-1]
            best = int(order[0])
            runner_up = next(
                (float(scores[i][j]) for j in order[1:] if items[int(j)][1] is not items[best][1]),
                0.0,
            )
            if float(scores[i][best]) >= EMBED_MATCH and scores[i][best] - runner_up >= MARGIN:
                hints[span] = items[best]
        closest = scores.max(axis=0).argsort()[::-1]
        asked.candidates = list(dict.fromkeys(names[int(j)] for j in closest))[:8]
        return hints

    async def _name_vectors(
        self, ctx: CallContext, tenant: str, dataset_id: str, model: SemanticModel
    ) -> tuple[list[tuple[Kind, Item]], list[str], Any]:
        # Keyed by the model's content: a model replaced on another replica is seen here.
        fingerprint = hashlib.sha256(
            json.dumps(model.to_json(), sort_keys=True, default=str).encode()
        ).hexdigest()
        cached = self._vectors.get((tenant, dataset_id, fingerprint))
        if cached is not None:
            return cached
        items: list[tuple[Kind, Item]] = []
        texts: list[str] = []
        names: list[str] = []

        def add(kind: Kind, item: Item, name: str, said: list[str], description: str) -> None:
            for text in [name, *said, *([description] if description else [])]:
                items.append((kind, item))
                texts.append(text)
                names.append(name)

        for m in model.measures:
            add("measure", m, m.name, m.synonyms, m.description)
        for d in model.dimensions:
            if not is_key(d.column):
                add("dimension", d, d.name, d.synonyms, d.description)
        for e in model.entities:
            add("entity", e, e.table.replace("_", " "), e.synonyms, e.description)
        for s in model.segments:
            add("segment", s, s.name, s.synonyms, "")
        cached = (items, names, await self._embed(ctx, texts))
        if len(self._vectors) >= MAX_NAME_VECTORS:
            self._vectors.pop(next(iter(self._vectors)))
        self._vectors[(tenant, dataset_id, fingerprint)] = cached
        return cached

    async def _embed(self, ctx: CallContext, texts: list[str]) -> Any:
        import numpy as np

        reply = await self.models.embed(
            ctx, EmbeddingRequest(input=texts, encoding_format="float"), self.embedding_deployment
        )
        matrix = np.asarray([item["embedding"] for item in reply["data"]], dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1, norms)

    async def query(self, tenant: str, dataset_id: str, sql: str, max_rows: int) -> QueryResult:
        """Run one SELECT of the caller's own in the sandbox."""
        dataset = await asyncio.to_thread(self.datasets.get, tenant, dataset_id)
        database = await asyncio.to_thread(self.datasets.database, tenant, dataset_id)
        return await asyncio.to_thread(
            self.sandbox.run, database, sql, dataset.table_names, max_rows
        )

    def delete(self, tenant: str, dataset_id: str) -> None:
        """Delete a dataset, closing its sandbox connection first."""
        self.sandbox.forget(self.datasets.database_path(tenant, dataset_id))
        self.datasets.delete(tenant, dataset_id)

    def close(self) -> None:
        """Close every sandbox connection."""
        self.sandbox.close()

    def chart(self, tenant: str, chart_id: str) -> bytes:
        """A rendered chart's PNG (404 for another tenant's or an unknown chart)."""
        return self.charts.read(tenant, chart_id)

    def _save_chart(self, tenant: str, spec: dict[str, Any]) -> str:
        return self.charts.save(tenant, render_png(spec))

    async def _ask_model(
        self,
        ctx: CallContext,
        model: SemanticModel,
        columns: dict[str, dict[str, str]],
        database: Path,
        tables: set[str],
        question: str,
    ) -> tuple[str, QueryResult, str, Plan]:
        """A plan slot-filled by the model under a schema of this model's names, compiled
        and checked by the sandbox; one repair with the error when it fails."""
        messages: list[dict[str, str]] = [
            {"role": "system", "content": plan_prompt(model)},
            {"role": "user", "content": question},
        ]
        problem = "no plan"
        for attempt in range(2):
            answer = await self._model_json(ctx, messages, plan_schema(model))
            plan = to_plan(answer, model, question) if answer is not None else None
            sql = _compiled(model, columns, plan) if plan is not None else None
            if plan is not None and sql is not None:
                try:
                    result = await asyncio.to_thread(self.sandbox.run, database, sql, tables)
                except SandboxError as exc:
                    problem = exc.message
                else:
                    return sql, result, "model" if attempt == 0 else "model (repaired)", plan
            else:
                problem = "the plan names no usable measure, column or value"
            messages += [
                {"role": "assistant", "content": json.dumps(answer)},
                {"role": "user", "content": f"That plan failed: {problem}. Fix it."},
            ]
        raise InvalidRequestError(
            "The question could not be answered: the planner did not recognise it and the "
            f"model's plan failed ({problem}). {hint(model).capitalize()}",
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
        # The system message is this dataset's schema, written here: only the question is
        # the user's to screen ("Binder, Bookcase" are product names, not self-harm).
        trusted = dataclasses.replace(ctx, trusted_system=True)
        reply = await self.models.ask(trusted, request, self.deployment)
        try:
            parsed = json.loads(reply.text)
        except json.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, dict) else None


def _compiled(model: SemanticModel, columns: dict[str, dict[str, str]], plan: Plan) -> str | None:
    try:
        return Compiler(model, columns).sql(plan)
    except CompileError:
        return None
