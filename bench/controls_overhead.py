"""Latency that authentication + quota admission + ledger add to a model request.

The same app and a zero-latency backend, called in-process (no network), with controls
off (auth off, no limits) and on (API key, RPM/TPM on the key and the deployment), with
the in-process limiter and with Redis. Prints per-request latency and the added time.

Run: python bench/controls_overhead.py [--requests N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fakes import FakeBackend

from common import percentile, print_table
from tandem.app import create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.governance.keys import KeySpec
from tandem.logs import configure_logging
from tandem.platform import Platform

BODY = {"model": "fake", "messages": [{"role": "user", "content": "hello"}], "max_tokens": 16}


async def measure(tmp: Path, name: str, n: int, **settings: Any) -> list[float]:
    """Per-request seconds over `n` sequential requests."""
    registry = BackendRegistry.from_entry_points()
    registry.register("fake", FakeBackend)
    limited = settings.pop("limited", False)
    deployment = {"name": "fake", "backend": "fake"}
    if limited:
        deployment |= {"rpm": 10**9, "tpm": 10**12}
    config = Settings(
        data_dir=tmp / name,
        builtin_deployments=False,
        log_level="warning",
        deployments=[DeploymentConfig.model_validate(deployment)],
        **settings,
    )
    platform = Platform.build(config, registry)
    await platform.start()
    headers = {}
    if settings.get("auth") == "keys":
        issued = platform.controls.keys.create(
            KeySpec(tenant="bench", rpm=10**9 if limited else None, tpm=10**12 if limited else None)
        )
        headers["authorization"] = f"Bearer {issued.secret}"
    transport = httpx.ASGITransport(app=create_app(config, platform))
    samples: list[float] = []
    async with httpx.AsyncClient(transport=transport, base_url="http://t", headers=headers) as c:
        for _ in range(200):
            await c.post("/v1/chat/completions", json=BODY)
        for _ in range(n):
            started = time.perf_counter()
            response = await c.post("/v1/chat/completions", json=BODY)
            samples.append(time.perf_counter() - started)
            response.raise_for_status()
    await platform.stop()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    configure_logging("warning")
    cases = [
        ("controls off", {"auth": "off"}),
        ("key + limits (memory)", {"auth": "keys", "limited": True}),
        ("key + limits (Redis)", {"auth": "keys", "limited": True, "redis_url": args.redis}),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        results = {
            name: asyncio.run(measure(Path(tmp), str(i), args.requests, **dict(kw)))
            for i, (name, kw) in enumerate(cases)
        }
    base = statistics.median(results["controls off"])
    rows = []
    for name, samples in results.items():
        p50, p99 = percentile(samples, 50), percentile(samples, 99)
        rows.append(
            [
                name,
                f"{p50 * 1e6:.0f}",
                f"{p99 * 1e6:.0f}",
                f"{(p50 - base) * 1e6:+.0f}",
                f"{p50 / base:.2f}",
            ]
        )
    print_table(
        f"Controls overhead in-process, {args.requests} sequential requests (µs)",
        ["case", "p50", "p99", "added p50", "ratio to off"],
        rows,
    )


if __name__ == "__main__":
    main()
