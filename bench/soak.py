"""Soak: 2,000 mixed requests at concurrency 64 against a real server, with 0 unexpected
errors and resident memory growth under 10% after a warm-up.

The mix: chat and streamed chat through the gateway to a mock upstream, embeddings on the
embedded MiniLM, support answers from a knowledge base, analyst questions over a dataset.
Every response must be the one expected (no 5xx, no stream left unfinished). Reported: the
problems by kind, the server's RSS after the warm-up and after the run, and latency p50/p99
per kind. Exits non-zero when there was a problem or RSS grew by 10% or more.

Run: python bench/soak.py [--requests 2000] [--warm-up 300] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, free_port, percentile, print_table, start, tandem_cmd

PAGE = b"""# Returns

You can return any unused item within 30 days of delivery for a full refund.
Refunds reach your card within 5 business days.

# Delivery

Standard delivery takes 3 to 5 business days and is free over 50 euros.
"""


def _config(path: Path, data: Path, upstream: str, **extra: str) -> Path:
    lines = [
        "builtin_deployments = false",
        f'data_dir = "{data}"',
        'log_level = "warning"',
        *(f'{key} = "{value}"' for key, value in extra.items()),
        "[support]",
        'deployment = "mock"',
        'answer_mode = "extractive"',
        "[analyst]",
        'deployment = "mock"',
        "[[deployments]]",
        'name = "mock"',
        'backend = "openai"',
        f'options = {{ base_url = "{upstream}" }}',
        "[[deployments]]",
        'name = "all-minilm-l6-v2"',
        'backend = "minilm"',
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _requests(kb: str, dataset: str, n: int, seed: int) -> list[tuple[str, str, dict[str, object]]]:
    rng = random.Random(seed)
    questions = ["How long do refunds take?", "Is delivery free?", "Can I return shoes?"]
    asks = ["total amount by region", "monthly amount", "how many sales in March"]
    mix = []
    for i in range(n):
        kind = rng.choices(["chat", "stream", "embed", "support", "analyst"], [3, 3, 2, 1, 1])[0]
        if kind in ("chat", "stream"):
            body: dict[str, object] = {
                "model": "mock",
                "messages": [{"role": "user", "content": f"hello {i}"}],
                "stream": kind == "stream",
            }
            mix.append((kind, "/v1/chat/completions", body))
        elif kind == "embed":
            body = {"model": "all-minilm-l6-v2", "input": [f"text number {i}", "another one"]}
            mix.append((kind, "/v1/embeddings", body))
        elif kind == "support":
            message = {"role": "user", "content": rng.choice(questions)}
            mix.append((kind, "/v1/support/chat", {"knowledge_base": kb, "messages": [message]}))
        else:
            body = {"dataset": dataset, "question": rng.choice(asks)}
            mix.append((kind, "/v1/analyst/ask", body))
    return mix


async def _run(
    url: str, mix: list[tuple[str, str, dict[str, object]]], concurrency: int
) -> tuple[Counter[str], dict[str, list[float]]]:
    """Send `mix` at `concurrency`; what went wrong (by kind, status and the start of the
    body), and each kind's latencies in ms."""
    problems: Counter[str] = Counter()
    took: dict[str, list[float]] = defaultdict(list)
    queue = list(reversed(mix))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def worker() -> None:
            while queue:
                kind, path, body = queue.pop()
                started = time.perf_counter()
                try:
                    async with client.stream("POST", path, json=body) as response:
                        payload = await response.aread()
                    if response.status_code != 200:
                        problems[f"{kind} {response.status_code} {payload[:200]!r}"] += 1
                    elif kind == "stream" and not payload.rstrip().endswith(b"data: [DONE]"):
                        problems[f"{kind} unfinished"] += 1
                except httpx.HTTPError as exc:
                    problems[f"{kind} {type(exc).__name__}"] += 1
                took[kind].append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return problems, took


def _setup(url: str) -> tuple[str, str]:
    with httpx.Client(base_url=url, timeout=120) as client:
        kb = client.post("/v1/knowledge-bases", json={"name": "help"}).json()["id"]
        added = client.post(
            f"/v1/knowledge-bases/{kb}/documents", files=[("files", ("help.md", PAGE))]
        )
        assert added.status_code == 200, added.text
        rows = "".join(
            f"2024-0{1 + i % 6}-1{i % 9},{'North' if i % 2 else 'South'},{i}\n" for i in range(200)
        )
        dataset = client.post(
            "/v1/datasets",
            files=[("files", ("sales.csv", f"day,region,amount\n{rows}".encode()))],
        )
        assert dataset.status_code == 201, dataset.text
    return kb, str(dataset.json()["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warm-up", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    mock_port, port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        upstream = f"http://127.0.0.1:{mock_port}/v1"
        config = _config(Path(tmp) / "tandem.toml", Path(tmp) / "data", upstream)
        mock = start(
            [sys.executable, str(ROOT / "tests/peers/mock_upstream.py"), str(mock_port)],
            f"{upstream}/chat/completions",
        )
        server = start(tandem_cmd(port, config), f"http://127.0.0.1:{port}/readyz")
        url = f"http://127.0.0.1:{port}"
        try:
            kb, dataset = _setup(url)
            warm, _ = asyncio.run(
                _run(url, _requests(kb, dataset, args.warm_up, 1), args.concurrency)
            )
            before = _rss_kib(server.pid)
            started = time.perf_counter()
            mix = _requests(kb, dataset, args.requests, 2)
            problems, took = asyncio.run(_run(url, mix, args.concurrency))
            seconds = time.perf_counter() - started
            after = _rss_kib(server.pid)
        finally:
            server.terminate()
            mock.terminate()
            server.wait()
            mock.wait()
    rows = [
        [kind, str(len(ms)), f"{percentile(ms, 50):.0f}", f"{percentile(ms, 99):.0f}"]
        for kind, ms in sorted(took.items())
    ]
    print_table(
        f"Soak: {args.requests} requests at c={args.concurrency} in {seconds:.0f} s",
        ["kind", "requests", "p50 ms", "p99 ms"],
        rows,
    )
    growth = after / before - 1
    print(f"warm-up problems: {dict(warm) or 'none'}; run problems: {dict(problems) or 'none'}")
    print(
        f"RSS after warm-up {before / 1024:.0f} MiB, "
        f"after the run {after / 1024:.0f} MiB ({growth:+.1%})"
    )
    if problems or warm or growth >= 0.10:
        sys.exit(1)


if __name__ == "__main__":
    main()
