"""The CLI's server commands fail with one line naming the fix, never a traceback."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from tandem.cli.main import app


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens here once the socket is closed


@pytest.mark.parametrize(
    "command",
    [
        ["deployments", "list"],
        ["datasets", "list"],
        ["kb", "list"],
        ["support", "analytics", "kb_x"],
    ],
)
def test_a_server_that_is_down_is_one_line(command: list[str]) -> None:
    server = f"http://127.0.0.1:{_closed_port()}"
    result = CliRunner().invoke(app, [*command, "--server", server])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"cannot reach the server at {server}" in result.output
    assert "tandem serve" in result.output


def test_a_server_option_that_is_not_a_url_is_named() -> None:
    result = CliRunner().invoke(app, ["deployments", "list", "--server", "localhost:8000"])
    assert result.exit_code == 1
    assert "must be a URL" in result.output
