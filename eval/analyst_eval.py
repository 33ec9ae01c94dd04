"""Execution accuracy of the analyst on a seeded retail dataset.

Each question's answer is compared with its gold SQL's result: the same rows (as a set, or
in order where the question asks for an order), numbers rounded to 4 decimals.

In-process (the planner only):   python eval/analyst_eval.py [--show-errors]
Through a running server:        python eval/analyst_eval.py --server http://127.0.0.1:8000
                                     [--method auto|planner|model]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analyst.generate import generate
from analyst_heldout_eval import same as same_rows

from tandem.apps.analyst.compile import Compiler
from tandem.apps.analyst.datasets import DatasetStore, data_today
from tandem.apps.analyst.parser import parse
from tandem.apps.analyst.plan import Plan
from tandem.apps.analyst.sandbox import jsonable, run
from tandem.apps.analyst.semantic import propose


def normal(rows: list[Any], ordered: bool) -> list[tuple[Any, ...]]:
    """Rows with numbers rounded and dates as text, sorted unless order matters."""

    def cell(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 4) if math.isfinite(value) else str(value)
        if isinstance(value, int):
            return round(float(value), 4)
        return str(value)

    out = [tuple(cell(v) for v in row) for row in rows]
    return out if ordered else sorted(out, key=repr)


def same(got: list[Any], gold: list[Any], ordered: bool) -> bool:
    """Same rows; where order matters, also the same sequence of ranked values (ties may
    come in any order, as SQL leaves them)."""
    if normal(got, False) != normal(gold, False):
        return False
    if not ordered:
        return True
    return [r[-1] for r in normal(got, True)] == [r[-1] for r in normal(gold, True)]


def _upload(server: str, files: list[tuple[str, Path]]) -> str:
    parts = [("files", (name, path.read_bytes(), "text/csv")) for name, path in files]
    response = httpx.post(f"{server}/v1/datasets", files=parts, data={"name": "eval"}, timeout=300)
    response.raise_for_status()
    return str(response.json()["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument(
        "--questions", type=Path, default=Path(__file__).parent / "analyst/questions.jsonl"
    )
    parser.add_argument("--server", help="ask through this server's /v1/analyst/ask")
    parser.add_argument("--method", default="auto", choices=["auto", "planner", "model"])
    args = parser.parse_args()
    questions = [json.loads(x) for x in args.questions.read_text().splitlines() if x.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "files"
        generate(folder)
        store = DatasetStore(Path(tmp) / "datasets")
        files = [(p.name, p) for p in sorted(folder.glob("*.csv"))]
        dataset = store.create("eval", "retail", files)
        database = store.database("eval", dataset.id)
        model = propose(dataset)
        columns = {t.name: {c.name.lower(): c.name for c in t.columns} for t in dataset.tables}
        gold_connection = duckdb.connect(str(database), read_only=True)
        golds = [
            [[jsonable(v) for v in row] for row in gold_connection.execute(i["sql"]).fetchall()]
            for i in questions
        ]
        gold_connection.close()
        correct, errors = 0, []
        remote = _upload(args.server, files) if args.server else None
        for item, gold_rows in zip(questions, golds, strict=True):
            if remote is not None:
                response = httpx.post(
                    f"{args.server}/v1/analyst/ask",
                    json={"dataset": remote, "question": item["q"], "method": args.method},
                    timeout=300,
                )
                if response.status_code != 200:
                    errors.append(f"NOT ANSWERED: {item['q']}")
                    continue
                sql, got = response.json()["sql"], response.json()["rows"]
            else:
                plan = parse(item["q"], model, columns, data_today(dataset))
                sql = Compiler(model, columns).sql(plan) if isinstance(plan, Plan) else None
                if sql is None:
                    errors.append(f"NOT UNDERSTOOD: {item['q']}")
                    continue
                try:
                    got = run(database, sql, dataset.table_names).rows
                except Exception as exc:
                    errors.append(f"FAILED: {item['q']} -> {sql} ({exc})")
                    continue
            ordered = bool(item.get("ordered"))
            if same_rows(got, gold_rows, ordered):
                correct += 1
            else:
                errors.append(
                    f"WRONG: {item['q']}\n   got  {sql}\n   gold {item['sql']}\n"
                    f"   {got[:3]} vs {gold_rows[:3]}"
                )
    print(f"execution accuracy: {correct}/{len(questions)} = {correct / len(questions):.2f}")
    if args.show_errors:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
