"""The productivity assistant on its evaluation set (eval/productivity): 17 documents of
different kinds (reports, policies, minutes, proposals...) with the figures a summary must
keep, and 12 workbooks with the insights they should yield, through the HTTP API on the
embedded models (in-process app, real SmolLM2 behind `auto`).

Prints fact recall of summaries (in `summary` alone, in summary + key points, and in the whole
response), how often the model's wording was kept (`method`), and insight correctness (each
expected total, leader, trend and outlier stated with the right number) with false claims.

    python eval/productivity_eval.py [--method auto|extractive|model] [--length medium]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from tandem.app import create_app
from tandem.config import Settings
from tandem.platform import Platform

HERE = Path(__file__).resolve().parent / "productivity"


def _flat(text: str) -> str:
    return " ".join(text.split())


async def documents(client: httpx.AsyncClient, method: str, length: str) -> dict[str, Any]:
    """Fact recall over the documents."""
    spec = json.loads((HERE / "documents.json").read_text())
    found = Counter[str]()
    total = 0
    methods = Counter[str]()
    seconds = 0.0
    for entry in spec["documents"]:
        data = (HERE / "documents" / entry["file"]).read_bytes()
        started = time.perf_counter()
        response = await client.post(
            "/v1/productivity/summarize",
            files={"file": (entry["file"], data)},
            data={"length": length, "method": method},
        )
        seconds += time.perf_counter() - started
        if response.status_code != 200:
            print(f"  {entry['file']:28} {response.status_code} {response.text[:300]}")
            total += len(entry["facts"])
            methods[f"error {response.status_code}"] += 1
            continue
        body = response.json()
        skipped = response.headers.get("x-tandem-model-skipped")
        methods[body["method"] + (f" ({skipped})" if skipped else "")] += 1
        summary = _flat(body["summary"])
        points = _flat(summary + " " + " ".join(body["key_points"]))
        whole = _flat(points + " " + " ".join(s["summary"] for s in body["sections"]))
        missed = []
        for fact in entry["facts"]:
            found["summary"] += fact in summary
            found["summary+key_points"] += fact in points
            found["whole"] += fact in whole
            if fact not in points:
                missed.append(fact)
        total += len(entry["facts"])
        print(f"  {entry['file']:28} {entry['kind']:17} {body['method']:10} missed {missed}")
    recall = {k: round(v / total, 3) for k, v in found.items()}
    return {
        "documents": len(spec["documents"]),
        "facts": total,
        "recall": recall,
        "methods": dict(methods),
        "seconds_per_document": round(seconds / len(spec["documents"]), 2),
    }


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.01, abs(b) * 1e-4)


def score_workbook(
    expected: dict[str, Any], insights: list[dict[str, Any]]
) -> tuple[int, int, list[str]]:
    """(correct, expected, false claims) for one workbook."""
    kinds: dict[str, list[dict[str, Any]]] = {}
    for insight in insights:
        kinds.setdefault(insight["kind"], []).append(insight)
    correct, wrong = 0, []
    total = expected["total"]
    correct += any(
        i["measure"] == total["measure"] and _close(i["values"]["total"], total["value"])
        for i in kinds.get("total", [])
    )
    if "leader" in expected:
        lead = expected["leader"]
        correct += any(
            i["values"]["dimension"] == lead["dimension"]
            and i["values"]["name"] == lead["name"]
            and _close(i["values"]["value"], lead["value"])
            for i in kinds.get("leader", [])
        )
    trend = next(
        (i for i in kinds.get("trend", []) if i["measure"] == expected["total"]["measure"]), None
    )
    stated = trend["values"]["direction"] if trend else "flat"
    if "trend" in expected:
        correct += stated == expected["trend"]["direction"]
    elif stated != "flat":
        wrong.append(f"trend {stated} where none was planted")
    label = expected.get("outlier", {}).get("label")
    if label is not None:
        correct += any(
            i["values"]["label"].startswith(label) or label in i["values"]["label"]
            for i in kinds.get("outlier", [])
        )
    for outlier in kinds.get("outlier", []):
        if label is None or label not in outlier["values"]["label"]:
            wrong.append(f"outlier {outlier['values']['label']}")
    return correct, len(expected), wrong


async def workbooks(client: httpx.AsyncClient) -> dict[str, Any]:
    """Insight correctness over the workbooks."""
    spec = json.loads((HERE / "workbooks.json").read_text())
    correct = expected = 0
    claims: list[str] = []
    for entry in spec["workbooks"]:
        data = (HERE / "workbooks" / entry["file"]).read_bytes()
        response = await client.post(
            "/v1/productivity/spreadsheet/insights", files={"file": (entry["file"], data)}
        )
        response.raise_for_status()
        got, wanted, wrong = score_workbook(entry["expected"], response.json()["insights"])
        correct, expected = correct + got, expected + wanted
        claims += [f"{entry['file']}: {w}" for w in wrong]
        print(f"  {entry['file']:22} {got}/{wanted} {wrong or ''}")
    return {
        "workbooks": len(spec["workbooks"]),
        "expected_insights": expected,
        "correct": correct,
        "correctness": round(correct / expected, 3),
        "false_claims": claims,
    }


async def main() -> None:
    """Run both parts and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--method", default="auto", choices=["auto", "extractive", "model"])
    parser.add_argument("--length", default="medium", choices=["short", "medium", "long"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(data_dir=Path(data), auth="off")
        platform = Platform.build(settings)
        await platform.start()
        await platform.wait_started()
        try:
            transport = httpx.ASGITransport(app=create_app(settings, platform))
            async with httpx.AsyncClient(
                transport=transport, base_url="http://eval", timeout=600
            ) as client:
                print(f"documents (method={args.method}, length={args.length}):")
                docs = await documents(client, args.method, args.length)
                print("workbooks:")
                books = await workbooks(client)
        finally:
            await platform.stop()
    print(json.dumps({"documents": docs, "workbooks": books}, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
