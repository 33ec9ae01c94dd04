"""The support assistant on a fictional retailer's help centre (eval/support/kb, 23 documents)
and customer questions (eval/support/questions.jsonl: 58; heldout.jsonl: 28, written after the
assistant was tuned on the first set), through the HTTP API.

Prints retrieval hit@5, key-fact recall of answers, and handoff precision/recall/F1.

Starts `tandem serve` on the embedded models:  python eval/support_eval.py [--mode auto]
Against a running server:                     python eval/support_eval.py --server URL
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent / "support"


@contextmanager
def server(url: str | None) -> Iterator[str]:
    """`url`, or a fresh `tandem serve` on a free port with a temporary data directory."""
    if url:
        yield url
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "TANDEM_DATA_DIR": data, "TANDEM_LOG_LEVEL": "warning"}
        process = subprocess.Popen(
            [sys.executable, "-m", "tandem", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def ingest(client: httpx.Client) -> str:
    """A knowledge base holding every document of the help centre; its id."""
    kb = client.post("/v1/knowledge-bases", json={"name": "Alder & Finch"}).json()["id"]
    files = [("files", (p.name, p.read_bytes())) for p in sorted((HERE / "kb").iterdir())]
    response = client.post(f"/v1/knowledge-bases/{kb}/documents", files=files)
    response.raise_for_status()
    failed = [r for r in response.json()["data"] if r["status"] == "failed"]
    if failed:
        raise SystemExit(f"ingest failed: {failed}")
    return str(kb)


def evaluate(client: httpx.Client, kb: str, item: dict[str, Any], mode: str) -> dict[str, Any]:
    """Retrieval and chat results for one question."""
    result: dict[str, Any] = {"id": item["id"], "question": item["question"]}
    if item.get("document"):
        hits = client.post(
            f"/v1/knowledge-bases/{kb}/search", json={"query": item["question"], "top_k": 5}
        ).json()["data"]
        result["hit"] = item["document"] in [h["document"] for h in hits]
    started = time.perf_counter()
    reply = client.post(
        "/v1/support/chat",
        json={
            "knowledge_base": kb,
            "messages": [{"role": "user", "content": item["question"]}],
            "answer_mode": mode,
        },
    )
    reply.raise_for_status()
    body = reply.json()
    result |= {
        "seconds": time.perf_counter() - started,
        "answer": body["answer"],
        "handoff": body["handoff"],
        "reason": body["handoff_reason"],
        "method": body["method"],
        "expected_handoff": bool(item.get("handoff")),
        "expected_reason": item.get("reason"),
    }
    if item.get("facts"):
        answer = " ".join(body["answer"].lower().split())
        found = [f for f in item["facts"] if " ".join(f.lower().split()) in answer]
        result["facts"] = len(found) / len(item["facts"])
        result["cited"] = item["document"] in [c["document"] for c in body["citations"]]
    return result


def report(results: list[dict[str, Any]], show: bool) -> None:
    """Print the figures (and, with `show`, every miss)."""
    hits = [r["hit"] for r in results if "hit" in r]
    facts = [r["facts"] for r in results if "facts" in r]
    cited = [r["cited"] for r in results if "cited" in r]
    tp = sum(r["handoff"] and r["expected_handoff"] for r in results)
    fp = sum(r["handoff"] and not r["expected_handoff"] for r in results)
    fn = sum(not r["handoff"] and r["expected_handoff"] for r in results)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # "not_in_kb" (a nearby topic is documented, the subject is not) is this set's
    # "no_evidence".
    same = {"not_in_kb": "no_evidence"}
    reasons = sum(
        same.get(r["reason"], r["reason"]) == r["expected_reason"]
        for r in results
        if r["expected_handoff"]
    )
    expected = sum(r["expected_handoff"] for r in results)
    methods: dict[str, int] = {}
    for r in results:
        methods[r["method"]] = methods.get(r["method"], 0) + 1
    seconds = sorted(r["seconds"] for r in results)
    print(f"questions            {len(results)}")
    print(f"retrieval hit@5      {sum(hits) / len(hits):.3f}  ({sum(hits)}/{len(hits)})")
    print(f"key-fact recall      {sum(facts) / len(facts):.3f}  over {len(facts)} answers")
    print(f"cites right document {sum(cited) / len(cited):.3f}")
    print(f"handoff precision    {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"handoff reason right {reasons}/{expected}")
    print(f"answer methods       {methods}")
    print(f"chat latency         p50 {seconds[len(seconds) // 2]:.2f} s  max {seconds[-1]:.2f} s")
    if show:
        for r in results:
            wrong_handoff = r["handoff"] != r["expected_handoff"]
            if not r.get("hit", True) or r.get("facts", 1) < 1 or wrong_handoff:
                print(
                    f"\n#{r['id']} {r['question']!r} hit={r.get('hit')} facts={r.get('facts')}"
                    f" handoff={r['handoff']}/{r['reason']} expected={r['expected_reason']}"
                    f"\n   {r['answer'][:300]!r}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", help="a running Tandem (default: start one)")
    parser.add_argument("--key", help="API key for --server")
    parser.add_argument("--mode", default="auto", choices=["auto", "generative", "extractive"])
    parser.add_argument("--show", action="store_true", help="print every miss")
    parser.add_argument(
        "--questions",
        type=Path,
        default=HERE / "questions.jsonl",
        help="questions.jsonl (written with the assistant) or heldout.jsonl (written later)",
    )
    args = parser.parse_args()
    items = [json.loads(x) for x in args.questions.read_text().splitlines() if x]
    headers = {"authorization": f"Bearer {args.key}"} if args.key else {}
    with (
        server(args.server) as url,
        httpx.Client(base_url=url, timeout=300, headers=headers) as client,
    ):
        kb = ingest(client)
        results = [evaluate(client, kb, item, args.mode) for item in items]
        client.delete(f"/v1/knowledge-bases/{kb}")
    report(results, args.show)


if __name__ == "__main__":
    main()
