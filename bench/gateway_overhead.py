"""Gateway overhead: Tandem in front of a fast mock upstream vs the mock called directly.

Both are driven by the same client in the same run, at concurrency 1, 16 and 64, whole and
streamed. Prints p50/p99 latency of each, the latency Tandem adds, and the RPS ratio.

Run: python bench/gateway_overhead.py [--requests N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, percentile, print_table, start, tandem_cmd

BODY = {"model": "mock", "messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 20}


async def drive(url: str, concurrency: int, total: int, stream: bool) -> tuple[list[float], float]:
    """Send `total` requests with `concurrency` in flight; latencies and requests/s."""
    body = {**BODY, "stream": stream}
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        for _ in range(min(20, total)):  # warm connections
            await client.post(url, json=body)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(total):
            queue.put_nowait(i)

        async def worker() -> None:
            while not queue.empty():
                queue.get_nowait()
                started = time.perf_counter()
                if stream:
                    async with client.stream("POST", url, json=body) as response:
                        async for _ in response.aiter_bytes():
                            pass
                else:
                    response = await client.post(url, json=body)
                    response.raise_for_status()
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    mock_port, tandem_port = free_port(), free_port()
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "tandem.toml"
        config.write_text(
            'builtin_deployments = false\nlog_level = "warning"\n'
            f'data_dir = "{tmp}"\n[[deployments]]\nname = "mock"\nbackend = "openai"\n'
            f'options = {{ base_url = "http://127.0.0.1:{mock_port}/v1" }}\n'
        )
        mock = start(
            [sys.executable, str(here.parent / "tests/peers/mock_upstream.py"), str(mock_port)],
            f"http://127.0.0.1:{mock_port}/v1/chat/completions",
        )
        tandem = start(tandem_cmd(tandem_port, config), f"http://127.0.0.1:{tandem_port}/readyz")
        try:
            rows = []
            for stream in (False, True):
                for concurrency in (1, 16, 64):
                    results = {}
                    for name, port in (("direct", mock_port), ("tandem", tandem_port)):
                        url = f"http://127.0.0.1:{port}/v1/chat/completions"
                        results[name] = asyncio.run(drive(url, concurrency, args.requests, stream))
                    (d_lat, d_rps), (t_lat, t_rps) = results["direct"], results["tandem"]
                    d50, d99 = percentile(d_lat, 50) * 1e3, percentile(d_lat, 99) * 1e3
                    t50, t99 = percentile(t_lat, 50) * 1e3, percentile(t_lat, 99) * 1e3
                    rows.append(
                        [
                            "stream" if stream else "whole",
                            str(concurrency),
                            f"{d50:.2f}",
                            f"{t50:.2f}",
                            f"{t50 - d50:+.2f}",
                            f"{d99:.2f}",
                            f"{t99:.2f}",
                            f"{t99 - d99:+.2f}",
                            f"{d_rps:.0f}",
                            f"{t_rps:.0f}",
                            f"{t_rps / d_rps:.2f}",
                        ]
                    )
            print_table(
                f"Gateway overhead, {args.requests} requests per cell (ms; RPS)",
                [
                    "mode",
                    "conc",
                    "p50 direct",
                    "p50 tandem",
                    "added p50",
                    "p99 direct",
                    "p99 tandem",
                    "added p99",
                    "RPS direct",
                    "RPS tandem",
                    "RPS ratio",
                ],
                rows,
            )
        finally:
            tandem.terminate()
            mock.terminate()
            tandem.wait()
            mock.wait()


if __name__ == "__main__":
    main()
