"""The support assistant on help centres it was not tuned on, through the HTTP API.

Each set is a folder with `kb/` (the documents) and `questions.jsonl` (format in
eval/support/heldout_sets/README.md). Per set: the documents are ingested into a new
knowledge base, then every question goes to POST /v1/support/chat as a new conversation.

Figures per set:
  hit@5              a listed source among the answer's citations or the top five results of
                     the knowledge base's search for the question (answerable questions)
  key-fact recall    share of key facts found in the answer, whitespace collapsed, case kept
                     as the grader's README says ("verbatim after whitespace normalisation")
  handoff P/R/F1     handoff vs answer
  reason accuracy    right reason among expected handoffs that were handed off
  answered instead   share of expected handoffs that got an answer

    python eval/support_heldout_eval.py                      # the three held-out sets
    python eval/support_heldout_eval.py --sets eval/support/dev_energy --save out.json
    python eval/support_heldout_eval.py --server URL --key KEY
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support_eval import server

HERE = Path(__file__).resolve().parent / "support"
HELDOUT = HERE / "heldout_sets"
DEFAULT_SETS = [HELDOUT / "saas_billing", HELDOUT / "bank_cards", HELDOUT / "airline"]
# The assistant's reason names and the sets' names for the same thing.
REASONS = {
    "human_requested": "human_request",
    "no_evidence": "not_in_kb",
}


def normalise(text: str) -> str:
    """Runs of whitespace collapsed to one space."""
    return " ".join(text.split())


def ingest(client: httpx.Client, folder: Path) -> str:
    """A knowledge base with every document of `folder`/kb; its id."""
    kb = client.post("/v1/knowledge-bases", json={"name": folder.name}).json()["id"]
    files = [("files", (p.name, p.read_bytes())) for p in sorted((folder / "kb").iterdir())]
    response = client.post(f"/v1/knowledge-bases/{kb}/documents", files=files)
    response.raise_for_status()
    failed = [r for r in response.json()["data"] if r["status"] == "failed"]
    if failed:
        raise SystemExit(f"ingest failed: {failed}")
    return str(kb)


def ask(client: httpx.Client, kb: str, item: dict[str, Any], mode: str | None) -> dict[str, Any]:
    """One question through search and chat; what came back, scored."""
    expect_handoff = item["expect"] == "handoff"
    result: dict[str, Any] = {
        "id": item["id"],
        "question": item["question"],
        "expected_handoff": expect_handoff,
        "expected_reason": item.get("reason"),
    }
    search = client.post(
        f"/v1/knowledge-bases/{kb}/search", json={"query": item["question"], "top_k": 5}
    )
    search.raise_for_status()
    retrieved = [h["document"] for h in search.json()["data"]]
    body: dict[str, Any] = {
        "knowledge_base": kb,
        "messages": [{"role": "user", "content": item["question"]}],
    }
    if mode:
        body["answer_mode"] = mode
    started = time.perf_counter()
    reply = client.post("/v1/support/chat", json=body)
    if reply.status_code == 200:
        data = reply.json()
    else:  # scored as an empty answer, so one refusal does not end the run
        error = reply.json().get("error", {})
        data = {
            "answer": "",
            "citations": [],
            "handoff": False,
            "handoff_reason": None,
            "method": f"error:{reply.status_code}:{error.get('code')}",
        }
    cited = [c["document"] for c in data["citations"]]
    reason = data["handoff_reason"]
    result |= {
        "seconds": round(time.perf_counter() - started, 3),
        "answer": data["answer"],
        "handoff": data["handoff"],
        "reason": REASONS.get(reason, reason),
        "method": data["method"],
        "cited": cited,
        "retrieved": retrieved,
    }
    if not expect_handoff:
        sources = set(item["sources"])
        result["hit"] = bool(sources & (set(cited) | set(retrieved)))
        answer = normalise(data["answer"])
        found = [f for f in item["key_facts"] if normalise(f) in answer]
        result["facts_found"] = found
        result["facts"] = len(found) / len(item["key_facts"]) if item["key_facts"] else 1.0
    return result


def figures(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The five metrics (and a few more) over one set's results."""
    hits = [r["hit"] for r in results if "hit" in r]
    facts = [r["facts"] for r in results if "facts" in r]
    tp = sum(r["handoff"] and r["expected_handoff"] for r in results)
    fp = sum(r["handoff"] and not r["expected_handoff"] for r in results)
    fn = sum(not r["handoff"] and r["expected_handoff"] for r in results)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    expected = [r for r in results if r["expected_handoff"]]
    handed = [r for r in expected if r["handoff"]]
    methods: dict[str, int] = {}
    for r in results:
        methods[r["method"]] = methods.get(r["method"], 0) + 1
    seconds = sorted(r["seconds"] for r in results)
    return {
        "questions": len(results),
        "hit_at_5": round(sum(hits) / len(hits), 3) if hits else None,
        "key_fact_recall": round(sum(facts) / len(facts), 3) if facts else None,
        "handoff_precision": round(precision, 3),
        "handoff_recall": round(recall, 3),
        "handoff_f1": round(2 * precision * recall / (precision + recall), 3)
        if precision + recall
        else 0.0,
        "reason_accuracy": round(
            sum(r["reason"] == r["expected_reason"] for r in handed) / len(handed), 3
        )
        if handed
        else None,
        "answered_instead_of_handoff": round(fn / len(expected), 3) if expected else None,
        "false_handoffs": fp,
        "methods": methods,
        "latency_p50_s": seconds[len(seconds) // 2] if seconds else None,
    }


def show_misses(results: list[dict[str, Any]]) -> None:
    """Every question that missed something."""
    for r in results:
        wrong = r["handoff"] != r["expected_handoff"] or (
            r["handoff"] and r["reason"] != r["expected_reason"]
        )
        if not r.get("hit", True) or r.get("facts", 1) < 1 or wrong:
            print(
                f"  {r['id']} {r['question']!r}\n     hit={r.get('hit')} facts={r.get('facts')}"
                f" handoff={r['handoff']}/{r['reason']} expected={r['expected_reason']}"
                f"\n     {r['answer'][:400]!r}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="+", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--server", help="a running Tandem (default: start one)")
    parser.add_argument("--key", help="API key for --server")
    parser.add_argument("--mode", choices=["auto", "generative", "extractive"])
    parser.add_argument("--show", action="store_true", help="print every miss")
    parser.add_argument("--save", type=Path, help="write results and figures as JSON")
    args = parser.parse_args()
    headers = {"authorization": f"Bearer {args.key}"} if args.key else {}
    report: dict[str, Any] = {}
    with (
        server(args.server) as url,
        httpx.Client(base_url=url, timeout=600, headers=headers) as client,
    ):
        for folder in args.sets:
            items = [
                json.loads(x)
                for x in (folder / "questions.jsonl").read_text().splitlines()
                if x.strip()
            ]
            kb = ingest(client, folder)
            results = [ask(client, kb, item, args.mode) for item in items]
            client.delete(f"/v1/knowledge-bases/{kb}")
            report[folder.name] = {"figures": figures(results), "results": results}
            print(f"\n== {folder.name}")
            for name, value in report[folder.name]["figures"].items():
                print(f"  {name:30} {value}")
            if args.show:
                show_misses(results)
            sys.stdout.flush()
    if args.save:
        args.save.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
