"""The embedded llama.cpp model with `--workers` 1 and 2: throughput and memory.

Each worker of `tandem serve --workers N` loads the built-in models itself. This measures
what that costs and gives: completion tokens/s over all requests with `--concurrency`
streamed chats in flight (one worker runs them one after another on its model; two run
two at once), and each worker's resident (RSS) and proportional (PSS) memory, PSS
counting the GGUF file's pages (mapped, so shared between workers) once across them.

Run: python bench/embedded_workers.py [--workers 1,2] [--concurrency 2] [--tokens 48]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, print_table, start, tandem_cmd

PROMPT = "Write a long, detailed essay about the history of sailing ships."


async def one(client: httpx.AsyncClient, url: str, tokens: int) -> int:
    body = {
        "model": "smollm2",
        "messages": [{"role": "user", "content": PROMPT}],
        "max_tokens": tokens,
        "temperature": 0,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    produced = 0
    async with client.stream("POST", url, json=body) as response:
        response.raise_for_status()
        async for line in response.aiter_lines():
            if line.startswith("data: {"):
                usage = orjson.loads(line[6:]).get("usage")
                if usage:
                    produced = int(usage["completion_tokens"])
    return produced


async def load(url: str, concurrency: int, requests: int, tokens: int) -> float:
    """Completion tokens/s over `requests` streamed chats, `concurrency` at a time."""
    async with httpx.AsyncClient(timeout=600) as client:
        await one(client, url, 8)  # warm
        queue = list(range(requests))
        produced = 0

        async def worker() -> None:
            nonlocal produced
            while queue:
                queue.pop()
                produced += await one(client, url, tokens)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return produced / (time.perf_counter() - started)


def memory_mb(pid: int) -> tuple[float, float]:
    """RSS and PSS of one process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        values[name] = int(value.split()[0]) / 1024
    return values["Rss"], values["Pss"]


def workers_of(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    children = [int(p) for p in out.split()]
    # `--workers 1` serves in the process itself; N > 1 spawns N (and a resource tracker).
    return [c for c in children if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()] or [pid]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--requests", type=int, default=6)
    parser.add_argument("--tokens", type=int, default=48)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "tandem.toml"
        config.write_text(
            f'log_level = "warning"\ndata_dir = "{tmp}"\nredis_url = "{args.redis}"\n'
        )
        for workers in [int(n) for n in args.workers.split(",")]:
            port = free_port()
            server = start(
                [*tandem_cmd(port, config), "--workers", str(workers)],
                f"http://127.0.0.1:{port}/readyz",
            )
            try:
                url = f"http://127.0.0.1:{port}/v1/chat/completions"
                rate = asyncio.run(load(url, args.concurrency, args.requests, args.tokens))
                memory = [memory_mb(pid) for pid in workers_of(server.pid)]
                rows.append(
                    [
                        str(workers),
                        str(args.concurrency),
                        f"{rate:.1f}",
                        " + ".join(f"{rss:.0f}" for rss, _ in memory),
                        f"{sum(pss for _, pss in memory):.0f}",
                    ]
                )
            finally:
                server.terminate()
                server.wait()
    print_table(
        "Embedded model per worker",
        ["workers", "streams in flight", "tokens/s", "RSS per worker (MB)", "PSS total (MB)"],
        rows,
    )


if __name__ == "__main__":
    main()
