"""`tandem serve` on a taken address exits non-zero and says so, in every log format; more
than one worker without Redis is refused with the fix named."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def _serve(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
    env |= {"TANDEM_DATA_DIR": str(tmp_path), "TANDEM_BUILTIN_DEPLOYMENTS": "0"}
    return subprocess.run(
        [sys.executable, "-m", "tandem", "serve", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("log_format", ["json", "text"])
def test_address_already_in_use_exits_non_zero(
    tmp_path: Path, log_format: str, workers: str
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        extra = ["--workers", workers] if workers != "1" else []
        done = _serve(
            tmp_path,
            "--port",
            str(port),
            "--log-format",
            log_format,
            *extra,
            *(["--config", str(_redis_config(tmp_path))] if workers != "1" else []),
        )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if "address already in use" in line]
    assert len(lines) == 1
    assert "--port" in lines[0]
    assert "Traceback" not in done.stderr


def test_several_workers_without_redis_are_refused_naming_the_fix(tmp_path: Path) -> None:
    done = _serve(tmp_path, "--port", "0", "--workers", "2", "--log-format", "text")
    assert done.returncode == 2
    assert "redis_url" in done.stderr
    assert "--workers 1" in done.stderr
    assert "Traceback" not in done.stderr


def _redis_config(tmp_path: Path) -> Path:
    path = tmp_path / "tandem.toml"
    path.write_text('redis_url = "redis://127.0.0.1:6379/15"\nbuiltin_deployments = false\n')
    return path
