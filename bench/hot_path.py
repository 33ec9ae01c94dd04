"""The hot path of a non-streamed chat request through the full stack, profiled.

The whole application (keys, quotas, safety, router, the OpenAI-compatible backend over
HTTP to the mock upstream, the ledger) on one event loop in this process, driven through
its ASGI interface with 16 requests in flight. Prints requests/s and CPU per request with
the profiler off, then the functions where a profiled run spent its time (the client's own
code excluded).
Run it on two checkouts in one sitting (PYTHONPATH=OTHER/src) to compare before and after.

Run: python bench/hot_path.py [--requests N] [--top K] [--stream]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, start
from tandem.app import create_app
from tandem.config import DeploymentConfig, Settings
from tandem.logs import configure_logging
from tandem.platform import Platform

BODY = {"model": "mock", "messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 20}
CONCURRENCY = 16


async def run(
    app: object, requests: int, stream: bool, profile: cProfile.Profile | None
) -> tuple[float, float]:
    """Requests/s over `requests` calls, `CONCURRENCY` at a time, and CPU ms per request
    (this process: the server and the in-process client; less at the mercy of a busy
    machine than requests/s)."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    body = {**BODY, "stream": stream}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for _ in range(50):
            (await client.post("/v1/chat/completions", json=body)).raise_for_status()
        left = requests

        async def worker() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                response = await client.post("/v1/chat/completions", json=body)
                response.raise_for_status()

        if profile is not None:
            profile.enable()
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        if profile is not None:
            profile.disable()
    return requests / elapsed, cpu * 1e3 / requests


async def bench(upstream: str, data: Path, requests: int, top: int, stream: bool) -> None:
    settings = Settings(
        data_dir=data,
        builtin_deployments=False,
        log_level="warning",
        deployments=[
            DeploymentConfig.model_validate(
                {"name": "mock", "backend": "openai", "options": {"base_url": upstream}}
            )
        ],
    )
    platform = Platform.build(settings)
    app = create_app(settings, platform)
    await platform.start()
    await platform.wait_started()
    try:
        runs = [await run(app, requests, stream, None) for _ in range(3)]
        profile = cProfile.Profile()
        await run(app, requests, stream, profile)
    finally:
        await platform.stop()
    rates, cpus = [r for r, _ in runs], [c for _, c in runs]
    print(
        f"requests/s, best of 3 with the profiler off: {max(rates):.0f}; "
        f"CPU ms per request, least of 3: {min(cpus):.3f} (all: {[round(c, 3) for c in cpus]})"
    )
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    print("\n".join(line for line in out.getvalue().splitlines() if "httpx" not in line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--stream", action="store_true")
    args = parser.parse_args()
    configure_logging("warning")
    port = free_port()
    here = Path(__file__).resolve().parent
    mock = start(
        [sys.executable, str(here.parent / "tests/peers/mock_upstream.py"), str(port)],
        f"http://127.0.0.1:{port}/v1/chat/completions",
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            upstream = f"http://127.0.0.1:{port}/v1"
            asyncio.run(bench(upstream, Path(tmp), args.requests, args.top, args.stream))
    finally:
        mock.terminate()
        mock.wait()


if __name__ == "__main__":
    main()
