"""`tandem serve` on a taken address exits non-zero and says so, in every log format."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_address_already_in_use_exits_non_zero(tmp_path: Path, log_format: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "TANDEM_DATA_DIR": str(tmp_path), "TANDEM_BUILTIN_DEPLOYMENTS": "0"}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tandem",
                "serve",
                "--port",
                str(port),
                "--log-format",
                log_format,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
    assert done.returncode != 0
    assert "address already in use" in done.stderr
    assert "Traceback" not in done.stderr
