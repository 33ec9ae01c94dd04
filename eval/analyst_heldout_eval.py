"""Execution accuracy of the analyst on evaluation sets in their own domains, through HTTP.

Each set is a folder with `data/*.csv`, an optional `dictionary.md` (or `semantic_model.yaml`)
and `questions.jsonl` (`question`, gold `sql`, `family`, `order_matters`; `clarify`
questions have `sql: null`). The files and the dictionary are uploaded as one dataset
(multipart `files` + `dictionary`), every question goes to POST /v1/analyst/ask, and the
answer's rows are compared with the gold SQL's rows (computed on DuckDB from the same CSVs):

- numbers within 0.5 % or 0.01 (a 0-1 fraction equals the same 0-100 percentage), months
  and dates in any representation; column names do not matter and extra answer columns
  are allowed (an id beside the name); rows as a set unless `order_matters`;
- a `clarify` question is right when the answer is a clarification and no SQL ran; any other
  question answered with a clarification is wrong and counted as "abstained".

In-process on the embedded models:  python eval/analyst_heldout_eval.py [SET ...]
Through a running server:           python eval/analyst_heldout_eval.py --server URL
Options: --method auto|planner|model, --show-errors (never on a held-out set you tune on),
--json FILE (figures per set and family).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import httpx

HERE = Path(__file__).resolve().parent / "analyst"
HELDOUT = ["heldout_saas", "heldout_logistics", "heldout_hr"]


def _table_name(filename: str) -> str:
    return re.sub(r"[^a-z0-9]", "_", Path(filename).stem.lower())


def gold_results(folder: Path, questions: list[dict[str, Any]]) -> list[list[list[Any]] | None]:
    """Each gold query's rows on the set's CSVs, loaded the way the set's README says."""
    connection = duckdb.connect()
    for path in sorted((folder / "data").glob("*.csv")):
        connection.execute(
            f"CREATE TABLE {_table_name(path.name)} AS SELECT * FROM read_csv_auto(?, header=true)",
            [str(path)],
        )
    out: list[list[list[Any]] | None] = []
    for item in questions:
        sql = item.get("sql")
        out.append([list(r) for r in connection.execute(sql).fetchall()] if sql else None)
    connection.close()
    return out


def _cell(value: Any) -> Any:
    """A comparable form: floats for numbers, ISO text for dates (midnight drops its time)."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value) if math.isfinite(float(value)) else str(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{text}-01"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        return f"{m.group(1)}-{3 * int(m.group(2)) - 2:02d}-01"
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ]00:00(?::00(?:\.0+)?)?", text):
        return m.group(1)
    try:
        return float(text)
    except ValueError:
        return text.lower()


def _close(a: Any, b: Any) -> bool:
    for x, y in ((a, b), (b, a)):  # a year as a number is the same as its first day
        if isinstance(x, float) and isinstance(y, str) and y == f"{x:.0f}-01-01":
            return True
    if isinstance(a, float) and isinstance(b, float):
        for x, y in ((a, b), (a * 100, b), (a, b * 100)):
            if abs(x - y) <= 0.01 or abs(x - y) <= 0.005 * max(abs(x), abs(y)):
                return True
        return False
    return bool(a == b)


def _column_matches(got: list[Any], gold: list[Any], ordered: bool) -> bool:
    if ordered:
        return all(_close(a, b) for a, b in zip(got, gold, strict=True))
    key = lambda v: (v is None, str(type(v)), v if v is not None else 0)  # noqa: E731
    return all(
        _close(a, b) for a, b in zip(sorted(got, key=key), sorted(gold, key=key), strict=True)
    )


def same(got_rows: list[list[Any]], gold_rows: list[list[Any]], ordered: bool) -> bool:
    """The answer holds the gold rows: every gold column matches one answer column, row by row."""
    if len(got_rows) != len(gold_rows):
        return False
    if not gold_rows:
        return True
    got = [[_cell(v) for v in r] for r in got_rows]
    gold = [[_cell(v) for v in r] for r in gold_rows]
    width = len(got[0])
    mapping: list[int] = []
    for j in range(len(gold[0])):
        column = [r[j] for r in gold]
        options = [k for k in range(width) if _column_matches([r[k] for r in got], column, ordered)]
        if not options:
            return False
        mapping.append(next((k for k in options if k not in mapping), options[0]))
    project = [[r[k] for k in mapping] for r in got]
    if ordered:
        return all(
            _close(a, b)
            for pg, g in zip(project, gold, strict=False)
            for a, b in zip(pg, g, strict=False)
        )
    remaining = list(gold)
    for row in project:
        hit = next(
            (
                i
                for i, g in enumerate(remaining)
                if all(_close(a, b) for a, b in zip(row, g, strict=False))
            ),
            None,
        )
        if hit is None:
            return False
        remaining.pop(hit)
    return True


@asynccontextmanager
async def in_process(embedded: bool) -> AsyncIterator[httpx.AsyncClient]:
    """An ASGI client on a fresh platform with the built-in (embedded) models."""
    from tandem.app import create_app
    from tandem.backends.registry import BackendRegistry
    from tandem.config import Settings
    from tandem.platform import Platform

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), builtin_deployments=embedded)
        platform = Platform.build(settings, BackendRegistry.from_entry_points())
        await platform.start()
        await platform.wait_started()
        transport = httpx.ASGITransport(app=create_app(settings, platform))
        try:
            async with httpx.AsyncClient(
                transport=transport, base_url="http://eval", timeout=600
            ) as client:
                yield client
        finally:
            await platform.stop()


async def upload(client: httpx.AsyncClient, folder: Path) -> str:
    """The set's CSVs and its dictionary as one dataset."""
    parts: list[tuple[str, tuple[str, bytes, str]]] = [
        ("files", (p.name, p.read_bytes(), "text/csv"))
        for p in sorted((folder / "data").glob("*.csv"))
    ]
    for name, kind in (("dictionary.md", "text/markdown"), ("semantic_model.yaml", "text/yaml")):
        if (folder / name).is_file():
            parts.append(("dictionary", (name, (folder / name).read_bytes(), kind)))
            break
    response = await client.post("/v1/datasets", files=parts, data={"name": folder.name})
    response.raise_for_status()
    return str(response.json()["id"])


async def run_set(
    client: httpx.AsyncClient, folder: Path, method: str, show: bool
) -> dict[str, Any]:
    """Score one set; returns its figures."""
    questions = [
        json.loads(x) for x in (folder / "questions.jsonl").read_text().splitlines() if x.strip()
    ]
    golds = gold_results(folder, questions)
    dataset = await upload(client, folder)
    outcome: Counter[str] = Counter()
    families: dict[str, Counter[str]] = {}
    seconds: list[float] = []
    for item, gold in zip(questions, golds, strict=True):
        started = time.perf_counter()
        response = await client.post(
            "/v1/analyst/ask",
            json={"dataset": dataset, "question": item["question"], "method": method},
        )
        seconds.append(time.perf_counter() - started)
        verdict, detail = _judge(item, gold, response)
        outcome[verdict] += 1
        families.setdefault(item["family"], Counter())[verdict] += 1
        if show and verdict != "right":
            print(f"  [{verdict}] {item['id']} {item['question']}\n      {detail}")
    total = len(questions)
    return {
        "set": folder.name,
        "questions": total,
        "right": outcome["right"],
        "accuracy": round(outcome["right"] / total, 3),
        "abstained": outcome["abstained"],
        "wrong": outcome["wrong"],
        "error": outcome["error"],
        "seconds_p50": round(sorted(seconds)[len(seconds) // 2], 3),
        "families": {f: dict(c) for f, c in sorted(families.items())},
    }


def _judge(
    item: dict[str, Any], gold: list[list[Any]] | None, response: httpx.Response
) -> tuple[str, str]:
    if response.status_code != 200:
        return "error", f"{response.status_code} {response.text[:200]}"
    body = response.json()
    clarified = bool(body.get("clarification")) and not body.get("sql")
    if item.get("family") == "clarify" or gold is None:
        return ("right", "") if clarified else ("wrong", f"answered: {body.get('sql')}")
    if clarified:
        return "abstained", json.dumps(body["clarification"])[:300]
    ordered = bool(item.get("order_matters"))
    if same(body.get("rows") or [], gold, ordered):
        return "right", ""
    return (
        "wrong",
        f"got {body.get('sql')}\n      {str(body.get('rows'))[:200]} vs {str(gold)[:200]}",
    )


def set_folders(names: list[str]) -> list[Path]:
    """Set folders from paths or names under eval/analyst/."""
    return [Path(s) if Path(s).is_dir() else HERE / s for s in (names or HELDOUT)]


async def main_async(args: argparse.Namespace, folders: list[Path]) -> list[dict[str, Any]]:
    results = []
    if args.server:
        async with httpx.AsyncClient(base_url=args.server, timeout=600) as client:
            for folder in folders:
                results.append(await run_set(client, folder, args.method, args.show_errors))
    else:
        async with in_process(not args.no_models) as client:
            for folder in folders:
                results.append(await run_set(client, folder, args.method, args.show_errors))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "sets", nargs="*", help=f"set folders or names (default {' '.join(HELDOUT)})"
    )
    parser.add_argument("--server", help="ask through this server instead of in-process")
    parser.add_argument("--method", default="auto", choices=["auto", "planner", "model"])
    parser.add_argument(
        "--no-models", action="store_true", help="no built-in models (planner only)"
    )
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    results = asyncio.run(main_async(args, set_folders(args.sets)))
    for r in results:
        print(
            f"{r['set']}: execution accuracy {r['right']}/{r['questions']} = {r['accuracy']:.2f}"
            f"  (abstained {r['abstained']}, wrong {r['wrong']}, errors {r['error']},"
            f" p50 {r['seconds_p50']} s)"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.exit(main())
