"""Serving with 1 and 2 workers side by side: overhead, RPS and stream tail latency.

One mock upstream; Tandem as `tandem serve --workers N` for each N on the same
configuration (Redis for quotas, as `--workers` > 1 requires), all running at once, and
each cell measured on every server in turn (and on the mock called directly), so a busy
machine slows them alike. Prints p50/p99 latency, p99/p50 (the tail a stalled event loop
makes long), the p50 Tandem adds over the mock, and requests/s, each the median over
`--rounds` interleaved runs. `--baseline SRC` adds a
one-worker server run from another checkout's `src` (before/after in one run). The client
is `loadgen.py` (raw keep-alive connections), light enough not to be the tail itself.

`--against COMMIT` compares per-core throughput instead: one worker of this tree and one of
COMMIT (a git worktree at /tmp/baseline-COMMIT, made if missing, run with this venv), each
with an API key under RPM/TPM limits and a token budget, so keys, quotas, budgets and the
ledger are all on the path. Besides requests/s it prints requests per CPU-second of each
server process, which a machine shared with other work disturbs less.

Run: python bench/serving.py [--requests N] [--workers 1,2] [--baseline ../old/src]
     python bench/serving.py --against 6f03bf7 [--requests N] [--rounds R]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import free_port, percentile, print_table, start, tandem_cmd
from loadgen import drive

BODY = {"model": "mock", "messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 20}
CELLS = (("whole", 1), ("whole", 64), ("stream", 64))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--baseline", help="another checkout's src folder, served as 1 worker")
    parser.add_argument("--rounds", type=int, default=3, help="medians over this many runs")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument(
        "--against", metavar="COMMIT", help="per-core RPS of this tree vs COMMIT, 1 worker each"
    )
    args = parser.parse_args()
    if args.against:
        compare_per_core(args.against, args.requests, args.rounds)
        return
    mock_port = free_port()
    here = Path(__file__).resolve().parent
    servers: list[tuple[str, int, subprocess.Popen[bytes]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        mock = start(
            [sys.executable, str(here.parent / "tests/peers/mock_upstream.py"), str(mock_port)],
            f"http://127.0.0.1:{mock_port}/v1/chat/completions",
        )
        try:
            plans = [(f"{n} worker{'s' if n > 1 else ''}", n, None) for n in _counts(args)]
            if args.baseline:
                plans.insert(0, ("baseline, 1 worker", 1, args.baseline))
            for index, (name, workers, src) in enumerate(plans):
                config = Path(tmp) / f"tandem{index}.toml"
                config.write_text(
                    'builtin_deployments = false\nlog_level = "warning"\n'
                    f'data_dir = "{tmp}/data{index}"\nredis_url = "{args.redis}"\n'
                    '[[deployments]]\nname = "mock"\nbackend = "openai"\n'
                    f'options = {{ base_url = "http://127.0.0.1:{mock_port}/v1" }}\n'
                )
                port = free_port()
                command = tandem_cmd(port, config)
                if not src:  # a checkout from before `--workers` serves one process
                    command += ["--workers", str(workers)]
                env = {"PYTHONPATH": os.path.abspath(src)} if src else None
                servers.append(
                    (name, port, start(command, f"http://127.0.0.1:{port}/readyz", env=env))
                )
            rows = []
            targets = [("mock direct", mock_port), *((n, p) for n, p, _ in servers)]
            for mode, concurrency in CELLS:
                runs: dict[str, list[tuple[float, float, float]]] = {n: [] for n, _ in targets}
                for _ in range(args.rounds):  # interleaved: a busy spell slows every server
                    for name, port in targets:
                        latencies, rps = asyncio.run(
                            drive(
                                f"http://127.0.0.1:{port}/v1/chat/completions",
                                concurrency,
                                args.requests,
                                mode == "stream",
                                BODY,
                            )
                        )
                        p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
                        runs[name].append((p50 * 1e3, p99 * 1e3, rps))
                direct_p50 = statistics.median(r[0] for r in runs["mock direct"])
                for name, _ in targets:
                    p50, p99, rps = (statistics.median(r[i] for r in runs[name]) for i in range(3))
                    ratio = statistics.median(r[1] / r[0] for r in runs[name])
                    rows.append(
                        [
                            mode,
                            str(concurrency),
                            name,
                            f"{p50:.2f}",
                            f"{p99:.2f}",
                            f"{ratio:.2f}",
                            f"{p50 - direct_p50:+.2f}",
                            f"{rps:.0f}",
                        ]
                    )
            print_table(
                f"Serving, {args.requests} requests per cell, medians of {args.rounds} rounds "
                "(ms; requests/s)",
                ["mode", "conc", "server", "p50", "p99", "p99/p50", "added p50", "RPS"],
                rows,
            )
        finally:
            for _, _, process in servers:
                process.terminate()
                process.wait()
            mock.terminate()
            mock.wait()


def compare_per_core(commit: str, requests: int, rounds: int) -> None:
    """Non-streamed and streamed throughput of one worker of this tree and of `commit`."""
    mock_port = free_port()
    root = Path(__file__).resolve().parent.parent
    sources = [(f"baseline {commit}", _worktree(root, commit)), ("current", root / "src")]
    servers: list[tuple[str, int, dict[str, str], subprocess.Popen[bytes]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        mock = start(
            [sys.executable, str(root / "tests/peers/mock_upstream.py"), str(mock_port)],
            f"http://127.0.0.1:{mock_port}/v1/chat/completions",
        )
        try:
            for index, (name, src) in enumerate(sources):
                config = Path(tmp) / f"tandem{index}.toml"
                config.write_text(
                    'builtin_deployments = false\nlog_level = "warning"\n'
                    f'data_dir = "{tmp}/data{index}"\n'
                    '[[deployments]]\nname = "mock"\nbackend = "openai"\n'
                    f'options = {{ base_url = "http://127.0.0.1:{mock_port}/v1" }}\n'
                )
                env = {"PYTHONPATH": str(src)}
                headers = {"Authorization": f"Bearer {_issue_key(config, env)}"}
                port = free_port()
                process = start(tandem_cmd(port, config), f"http://127.0.0.1:{port}/readyz", env)
                servers.append((name, port, headers, process))
            rows = [_per_core_row(servers, stream, requests, rounds) for stream in (False, True)]
        finally:
            for *_, process in servers:
                process.terminate()
                process.wait()
            mock.terminate()
            mock.wait()
    names = [name for name, *_ in servers]
    print_table(
        f"Per-core throughput, 1 worker each, c={PER_CORE_CONCURRENCY}, {requests} requests per "
        f"run, medians of {rounds} interleaved rounds (RPS; requests per server CPU-second)",
        [
            "mode",
            *(f"RPS {n}" for n in names),
            "RPS ratio",
            *(f"req/CPU-s {n}" for n in names),
            "CPU ratio",
        ],
        rows,
    )


PER_CORE_CONCURRENCY = 64


def _per_core_row(
    servers: list[tuple[str, int, dict[str, str], subprocess.Popen[bytes]]],
    stream: bool,
    requests: int,
    rounds: int,
) -> list[str]:
    rps: list[list[float]] = [[] for _ in servers]
    per_cpu: list[list[float]] = [[] for _ in servers]
    for _ in range(rounds):  # interleaved: a busy spell slows both servers alike
        for index, (_, port, headers, process) in enumerate(servers):
            cpu = _cpu_seconds(process.pid)
            _, rate = asyncio.run(
                drive(
                    f"http://127.0.0.1:{port}/v1/chat/completions",
                    PER_CORE_CONCURRENCY,
                    requests,
                    stream,
                    BODY,
                    headers,
                )
            )
            # The warm-up requests loadgen sends first are counted as well.
            served = requests + 3 * PER_CORE_CONCURRENCY
            rps[index].append(rate)
            per_cpu[index].append(served / (_cpu_seconds(process.pid) - cpu))
    rps_ratio = statistics.median(c / b for b, c in zip(rps[0], rps[-1], strict=True))
    cpu_ratio = statistics.median(c / b for b, c in zip(per_cpu[0], per_cpu[-1], strict=True))
    return [
        "stream" if stream else "whole",
        *(f"{statistics.median(r):.0f}" for r in rps),
        f"{rps_ratio:.2f}",
        *(f"{statistics.median(r):.0f}" for r in per_cpu),
        f"{cpu_ratio:.2f}",
    ]


def _worktree(root: Path, commit: str) -> Path:
    """The `src` of a worktree of `commit` at /tmp/baseline-COMMIT, made if missing."""
    path = Path(tempfile.gettempdir()) / f"baseline-{commit}"
    if not (path / "src" / "tandem").is_dir():
        subprocess.run(["git", "-C", str(root), "worktree", "prune"], check=True)
        subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "--detach", str(path), commit],
            check=True,
            capture_output=True,
        )
    return path / "src"


def _issue_key(config: Path, env: dict[str, str]) -> str:
    """A user key under limits high enough never to refuse (so admission does its work)."""
    command = [sys.executable, "-m", "tandem", "keys", "create", "--tenant", "bench"]
    command += ["--rpm", "1000000000", "--tpm", "1000000000000"]
    command += ["--budget-tokens", "1000000000000000", "--config", str(config)]
    done = subprocess.run(
        command, env={**os.environ, **env}, check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1]


def _cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _counts(args: argparse.Namespace) -> list[int]:
    return [int(n) for n in args.workers.split(",")]


if __name__ == "__main__":
    main()
