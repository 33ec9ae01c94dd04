"""The hot path of a chat request through the full stack, profiled.

The whole application served by uvicorn (uvloop, httptools: what `tandem serve` runs) in
this process, with an API key under RPM/TPM limits and a token budget, so authentication,
admission, budgets, safety, the router, the OpenAI-compatible backend over HTTP to the mock
upstream and the ledger are all on the path. The client is `loadgen.py` in another process,
so this process's CPU is the server's alone. Prints requests/s and server CPU per request
with the profiler off, then where a profiled run spent its time: by part of the stack, and
the functions with the most time of their own.
Run it on two checkouts in one sitting (PYTHONPATH=OTHER/src) to compare before and after.

Run: python bench/hot_path.py [--requests N] [--top K] [--stream]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import pstats
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import uvicorn
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, start
from loadgen import drive
from tandem.app import create_app
from tandem.config import DeploymentConfig, Settings
from tandem.governance.keys import KeySpec
from tandem.logs import configure_logging
from tandem.platform import Platform

BODY = {"model": "mock", "messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 20}
CONCURRENCY = 64
# Parts of the stack, by where a function's code lives (first match wins).
PARTS = (
    ("tandem/safety/", "tandem safety"),
    ("tandem/governance/", "tandem governance"),
    ("tandem/gateway/", "tandem gateway"),
    ("tandem/http/", "tandem http"),
    ("tandem/api/", "tandem api"),
    ("tandem/routing/", "tandem routing"),
    ("tandem/backends/", "tandem backends"),
    ("tandem/", "tandem other"),
    ("/fastapi/", "fastapi"),
    ("/starlette/", "starlette"),
    ("/pydantic", "pydantic"),
    ("/uvicorn/", "uvicorn"),
    ("/aiohttp/", "aiohttp"),
    ("/prometheus_client/", "prometheus"),
    ("/asyncio/", "asyncio"),
    ("/logging/", "logging"),
)


def _part(filename: str) -> str:
    for marker, name in PARTS:
        if marker in filename:
            return name
    return "builtins (C)" if filename == "~" else "other Python"


async def _load(url: str, headers: dict[str, str], requests: int, stream: bool) -> float:
    """Drive the server from another process; its requests/s."""
    spec = json.dumps([url, headers, requests, stream])
    process = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--drive", spec, stdout=subprocess.PIPE
    )
    out, _ = await process.communicate()
    if process.returncode:
        raise RuntimeError("the load generator failed")
    return float(out)


async def _measure(
    url: str, headers: dict[str, str], requests: int, stream: bool, profile: cProfile.Profile | None
) -> tuple[float, float]:
    """Requests/s and this process's CPU ms per request over one run."""
    if profile is not None:
        profile.enable()
    cpu = time.process_time()
    rate = await _load(url, headers, requests, stream)
    cpu = time.process_time() - cpu
    if profile is not None:
        profile.disable()
    return rate, cpu * 1e3 / (requests + 3 * CONCURRENCY)


async def bench(
    upstream: str, data: Path, requests: int, top: int, stream: bool, dump: str | None
) -> None:
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
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
        await asyncio.sleep(0.05)
    await platform.wait_started()
    spec = KeySpec(tenant="bench", rpm=10**9, tpm=10**12, budget_tokens=10**15)
    issued = await asyncio.to_thread(platform.controls.keys.create, spec)
    headers = {"Authorization": f"Bearer {issued.secret}"}
    url = f"http://127.0.0.1:{port}/v1/chat/completions"
    try:
        runs = [await _measure(url, headers, requests, stream, None) for _ in range(3)]
        profile = cProfile.Profile()
        await _measure(url, headers, requests, stream, profile)
    finally:
        server.should_exit = True
        await serving
    rates, cpus = [r for r, _ in runs], [c for _, c in runs]
    print(
        f"{'streamed' if stream else 'whole'}, c={CONCURRENCY}: requests/s, best of 3 with the "
        f"profiler off: {max(rates):.0f}; server CPU ms per request, least of 3: "
        f"{min(cpus):.3f} (all: {[round(c, 3) for c in cpus]})"
    )
    _report(profile, top)
    if dump:
        profile.dump_stats(dump)


def _report(profile: cProfile.Profile, top: int) -> None:
    stats = pstats.Stats(profile)
    parts: dict[str, float] = defaultdict(float)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    raw = stats.stats  # type: ignore[attr-defined]
    for (filename, _, _), (_, _, own, _, _) in raw.items():
        parts[_part(filename)] += own
    total = sum(parts.values())
    print(f"\nProfiled time by part of the stack (own time, {total:.2f} s in all):")
    for name, seconds in sorted(parts.items(), key=lambda item: -item[1]):
        print(f"  {name:<20} {seconds:6.2f} s  {100 * seconds / total:5.1f}%")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def _drive_main(spec: str) -> None:
    url, headers, requests, stream = json.loads(spec)
    _, rate = asyncio.run(drive(url, CONCURRENCY, requests, stream, BODY, headers))
    print(rate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--stream", action="store_true")
    parser.add_argument("--dump", help="also write the profile here (pstats format)")
    parser.add_argument("--drive", help=argparse.SUPPRESS)  # the load generator's process
    args = parser.parse_args()
    if args.drive:
        _drive_main(args.drive)
        return
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
            uvloop.run(bench(upstream, Path(tmp), args.requests, args.top, args.stream, args.dump))
    finally:
        mock.terminate()
        mock.wait()


if __name__ == "__main__":
    main()
