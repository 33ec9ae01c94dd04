"""Batch vs interactive traffic on the embedded model: interactive chat latency p50/p99
idle and while a 500-line batch runs (batch lines take the model only when no
interactive request is waiting), and the batch's throughput in lines/s.

Run: python bench/batch_interference.py [--lines 500] [--requests 40] [--max-tokens 8]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, percentile, print_table, start


def _chat(client: httpx.Client, max_tokens: int) -> float:
    body = {
        "model": "smollm2",
        "messages": [{"role": "user", "content": "Say hello."}],
        "max_tokens": max_tokens,
        "temperature": 0,
    }
    started = time.perf_counter()
    reply = client.post("/v1/chat/completions", json=body)
    reply.raise_for_status()
    return time.perf_counter() - started


def _latencies(client: httpx.Client, n: int, max_tokens: int, pause_s: float) -> list[float]:
    samples = []
    for _ in range(n):
        samples.append(_chat(client, max_tokens))
        time.sleep(pause_s)  # think time: interactive users are not a closed loop
    return samples


def _submit(client: httpx.Client, lines: int, max_tokens: int) -> str:
    body = {
        "model": "smollm2",
        "messages": [{"role": "user", "content": "Name a fruit."}],
        "max_tokens": max_tokens,
        "temperature": 0,
    }
    data = "\n".join(
        json.dumps(
            {"custom_id": f"l{i}", "method": "POST", "url": "/v1/chat/completions", "body": body}
        )
        for i in range(lines)
    )
    upload = client.post(
        "/v1/files", files={"file": ("in.jsonl", data.encode())}, data={"purpose": "batch"}
    ).json()
    batch = client.post(
        "/v1/batches", json={"input_file_id": upload["id"], "endpoint": "/v1/chat/completions"}
    ).json()
    return str(batch["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--max-tokens", type=int, default=8)
    parser.add_argument("--pause", type=float, default=0.2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        cmd = [sys.executable, "-m", "tandem", "serve", "--port", str(port)]
        env = {"TANDEM_DATA_DIR": tmp, "TANDEM_LOG_LEVEL": "warning"}
        server = start(cmd, f"http://127.0.0.1:{port}/readyz", env)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
                _latencies(client, 3, args.max_tokens, 0)  # warm-up
                idle = _latencies(client, args.requests, args.max_tokens, args.pause)
                batch_id = _submit(client, args.lines, args.max_tokens)
                started = time.perf_counter()
                time.sleep(2)
                busy = _latencies(client, args.requests, args.max_tokens, args.pause)
                during = client.get(f"/v1/batches/{batch_id}").json()["request_counts"]
                while (batch := client.get(f"/v1/batches/{batch_id}").json())["status"] not in (
                    "completed",
                    "failed",
                    "cancelled",
                ):
                    time.sleep(1)
                elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    ms = [
        [f"{percentile(s, 50) * 1000:.0f}", f"{percentile(s, 99) * 1000:.0f}"] for s in (idle, busy)
    ]
    print_table(
        f"interactive chat, max_tokens={args.max_tokens}, {args.requests} requests",
        ["while", "p50 ms", "p99 ms"],
        [["idle", *ms[0]], [f"{args.lines}-line batch running", *ms[1]]],
    )
    counts = batch["request_counts"]
    print_table(
        "batch",
        ["lines", "completed", "failed", "done while measuring", "seconds", "lines/s"],
        [
            [
                str(args.lines),
                str(counts["completed"]),
                str(counts["failed"]),
                str(during["completed"]),
                f"{elapsed:.1f}",
                f"{counts['completed'] / elapsed:.2f}",
            ]
        ],
    )


if __name__ == "__main__":
    main()
