"""Cyclic-GC pauses on the event loop under load: Python's default young threshold (700)
against the one a started server sets (`tandem.app.GC_YOUNG_THRESHOLD`), in one run.

The full application (started, so what it loaded is frozen) in this process against the
mock upstream, 64 requests in flight through its ASGI interface, whole and streamed; each
phase alternates the thresholds. Prints, per threshold, how many collections ran per
generation, their CPU time (thread time: a busy machine does not inflate it) and the
longest pause, and requests/s.

Run: python bench/gc_pauses.py [--requests N] [--rounds R] [--also 5000,20000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, print_table, start
from tandem.app import GC_YOUNG_THRESHOLD, create_app
from tandem.config import DeploymentConfig, Settings
from tandem.logs import configure_logging
from tandem.platform import Platform

BODY = {"model": "mock", "messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 20}


class Pauses:
    """Collections per generation: count, CPU seconds, longest."""

    def __init__(self) -> None:
        self.stats = {g: [0, 0.0, 0.0] for g in range(3)}
        self._started = 0.0
        self.on = False

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.thread_time()
        elif self.on:
            took = time.thread_time() - self._started
            entry = self.stats[info["generation"]]
            entry[0] += 1
            entry[1] += took
            entry[2] = max(entry[2], took)


async def load(client: httpx.AsyncClient, requests: int, stream: bool) -> float:
    left = requests

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            response = await client.post("/v1/chat/completions", json={**BODY, "stream": stream})
            response.raise_for_status()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(64)))
    return requests / (time.perf_counter() - started)


async def bench(upstream: str, data: Path, requests: int, rounds: int, others: list[int]) -> None:
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
    app = create_app(settings, Platform.build(settings))
    thresholds = {"700 (Python's default)": 700}
    thresholds[f"{GC_YOUNG_THRESHOLD:,} (Tandem)"] = GC_YOUNG_THRESHOLD
    thresholds |= {f"{n:,}": n for n in others}
    pauses = {name: Pauses() for name in thresholds}
    rates: dict[str, list[float]] = {name: [] for name in thresholds}
    _, middle, old = gc.get_threshold()
    async with app.router.lifespan_context(app):
        await asyncio.sleep(1.0)  # the server freezes what it loaded once started
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await load(client, 200, False)
            for _ in range(rounds):
                for name, young in thresholds.items():
                    gc.set_threshold(young, middle, old)
                    gc.callbacks.append(pauses[name])
                    pauses[name].on = True
                    for stream in (False, True):
                        rates[name].append(await load(client, requests, stream))
                    pauses[name].on = False
                    gc.callbacks.remove(pauses[name])
    rows = []
    for name, measured in pauses.items():
        row = [name]
        for generation in range(3):
            count, seconds, longest = measured.stats[generation]
            row += [str(count), f"{seconds * 1e3:.0f}", f"{longest * 1e3:.1f}"]
        row.append(f"{sum(rates[name]) / len(rates[name]):.0f}")
        rows.append(row)
    print_table(
        f"GC on the event loop, {2 * rounds * requests} requests per threshold "
        "(collections; CPU ms; longest pause ms)",
        ["young threshold"]
        + [f"gen{g} {what}" for g in range(3) for what in ("runs", "CPU", "max")]
        + ["requests/s"],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--also", default="", help="more thresholds to try, comma-separated")
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
            others = [int(n) for n in args.also.split(",") if n]
            asyncio.run(bench(upstream, Path(tmp), args.requests, args.rounds, others))
    finally:
        mock.terminate()
        mock.wait()


if __name__ == "__main__":
    main()
