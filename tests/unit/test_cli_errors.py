"""The CLI fails with one line naming the fix, never a traceback: a server that is down, a
--server that is not Tandem's URL, a missing or wrong key, and (for the commands that work on
the database) a database or a config that cannot be opened."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest
from click.testing import Result
from typer.testing import CliRunner

from tandem.cli.main import app
from tests.live_server import AUTH, live_app, live_settings, serve


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens here once the socket is closed


def _one_line_error(result: Result) -> str:
    """The output of a failed command, checked to be one line and no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error"), result.output
    return lines[0]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "doc.txt").write_text("A short document.")
    (tmp_path / "spec.jsonl").write_text('{"input": "hi", "expected": "hi"}\n')
    return tmp_path


# Every command group that talks to a server, and a command of each that takes an id.
SERVER_COMMANDS = [
    ["deployments", "list"],
    ["deployments", "remove", "gpt-4o"],
    ["datasets", "list"],
    ["datasets", "show", "ds_0123"],
    ["ask", "ds_0123", "how many?"],
    ["kb", "list"],
    ["kb", "search", "kb_0123", "returns"],
    ["support", "tickets"],
    ["support", "show", "tkt_0123"],
    ["support", "analytics", "kb_x"],
    ["docs", "summarize", "doc.txt"],
    ["eval", "run", "spec.jsonl", "--deployment", "fake"],
    ["assess", "--output", "out.toml"],  # before asking its questions
]


@pytest.mark.parametrize("command", SERVER_COMMANDS, ids=" ".join)
def test_a_server_that_is_down_is_one_line(
    command: list[str], files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(files)
    server = f"http://127.0.0.1:{_closed_port()}"
    line = _one_line_error(CliRunner().invoke(app, [*command, "--server", server]))
    assert f"cannot reach the server at {server}" in line
    assert "tandem serve" in line
    assert "--server" in line


def test_a_server_option_that_is_not_a_url_is_named() -> None:
    line = _one_line_error(
        CliRunner().invoke(app, ["deployments", "list", "--server", "localhost:8000"])
    )
    assert "must be a URL" in line


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server on loopback that needs a key."""
    with serve(live_app(live_settings(tmp_path_factory.mktemp("live") / "data"))) as url:
        yield url


@pytest.mark.parametrize("command", [["kb", "list"], ["deployments", "list"]], ids=" ".join)
def test_a_missing_key_names_the_options(
    command: list[str], live: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TANDEM_API_KEY", raising=False)
    monkeypatch.delenv("TANDEM_ADMIN_KEY", raising=False)
    line = _one_line_error(CliRunner().invoke(app, [*command, "--server", live]))
    assert line.startswith("error 401:")
    assert "--api-key" in line
    assert "TANDEM_API_KEY" in line
    assert "--platform" in line  # how to make one


def test_a_wrong_key_says_so(live: str) -> None:
    bad = "sk-000000000000_" + "x" * 40
    line = _one_line_error(
        CliRunner().invoke(app, ["datasets", "list", "--server", live, "--api-key", bad])
    )
    assert line.startswith("error 401:")
    assert "unknown, revoked or expired" in line


def test_a_key_without_the_rights_names_a_platform_key(live: str) -> None:
    created = httpx.post(f"{live}/admin/keys", json={"tenant": "acme"}, headers=AUTH)
    user_key = created.json()["key"]
    line = _one_line_error(
        CliRunner().invoke(app, ["deployments", "list", "--server", live, "--api-key", user_key])
    )
    assert line.startswith("error 403:")
    assert "platform" in line


def test_either_key_variable_is_read(live: str, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = AUTH["authorization"].removeprefix("Bearer ")
    monkeypatch.delenv("TANDEM_ADMIN_KEY", raising=False)
    monkeypatch.setenv("TANDEM_API_KEY", admin)
    # `deployments` reads TANDEM_ADMIN_KEY first, and TANDEM_API_KEY when that is unset.
    listed = CliRunner().invoke(app, ["deployments", "list", "--server", live])
    assert listed.exit_code == 0, listed.output
    monkeypatch.delenv("TANDEM_API_KEY")
    monkeypatch.setenv("TANDEM_ADMIN_KEY", admin)
    assert CliRunner().invoke(app, ["kb", "list", "--server", live]).exit_code == 0


def test_a_server_url_with_v1_is_named(live: str) -> None:
    line = _one_line_error(
        CliRunner().invoke(app, ["kb", "list", "--server", f"{live}/v1", "--api-key", "x"])
    )
    assert "without /v1" in line


def test_https_to_a_plain_http_server_is_named(live: str) -> None:
    url = live.replace("http://", "https://")
    line = _one_line_error(CliRunner().invoke(app, ["kb", "list", "--server", url]))
    assert "TLS" in line
    assert "http://" in line


class _NotTandem(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html>Not Found</html>"
        self.send_response(404)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_server_that_is_not_tandem_is_named() -> None:
    other = HTTPServer(("127.0.0.1", 0), _NotTandem)
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{other.server_address[1]}"
        line = _one_line_error(CliRunner().invoke(app, ["datasets", "list", "--server", url]))
    finally:
        other.shutdown()
        other.server_close()
    assert "not as Tandem does" in line
    assert "--server" in line


DATABASE_COMMANDS = [
    ["keys", "create", "--tenant", "ops", "--platform"],
    ["keys", "list"],
    ["keys", "revoke", "0123abcd"],
    ["budgets", "list"],
    ["usage"],
    ["audit", "verify"],
    ["db", "upgrade"],
    ["safety", "policy", "show"],
    ["review", "list"],
]


@pytest.fixture
def database_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TANDEM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TANDEM_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_a_database_that_is_down_is_one_line(
    command: list[str], database_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"postgresql://tandem:hunter2@127.0.0.1:{_closed_port()}/tandem"
    monkeypatch.setenv("TANDEM_DATABASE_URL", url)
    line = _one_line_error(CliRunner().invoke(app, command))
    assert "cannot open the database at postgresql://tandem:***@127.0.0.1" in line
    assert "hunter2" not in line
    assert "TANDEM_DATABASE_URL" in line
    assert "--config" in line


@pytest.mark.parametrize("url", ["nonsense", "mysql://someone@somewhere/db"])
def test_a_database_url_tandem_cannot_use_is_named(
    url: str, database_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANDEM_DATABASE_URL", url)
    line = _one_line_error(CliRunner().invoke(app, ["keys", "list"]))
    assert f"'{url}' is not a database URL Tandem can use" in line
    assert "TANDEM_DATABASE_URL" in line


def test_a_config_that_cannot_be_read_is_one_line(database_env: Path) -> None:
    (database_env / "bad.toml").write_text('port = "eighty"\n')
    (database_env / "broken.toml").write_text("port = [\n")
    runner = CliRunner()
    line = _one_line_error(runner.invoke(app, ["keys", "list", "--config", "bad.toml"]))
    assert "setting port" in line
    line = _one_line_error(runner.invoke(app, ["usage", "--config", "broken.toml"]))
    assert "cannot read the settings" in line
    line = _one_line_error(runner.invoke(app, ["audit", "verify", "--config", "missing.toml"]))
    assert "missing.toml" in line


def test_a_deployment_spec_that_is_not_json_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["deployments", "add", "x", "--spec", "{nope"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "not JSON" in result.output


def test_a_new_key_names_the_database_it_is_in(database_env: Path) -> None:
    # A key made in the wrong database is a 401 later; the line that prints it says where.
    result = CliRunner().invoke(app, ["keys", "create", "--tenant", "ops", "--platform"])
    assert result.exit_code == 0, result.output
    assert f"in sqlite:///{database_env / 'data' / 'tandem.db'}" in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["keys", "create", "--tenant", "t" * 65],
        ["keys", "create", "--tenant", "acme", "--project", "p" * 65],
        ["budgets", "set", "--tenant", "t" * 65, "--tokens", "5"],
        ["budgets", "set", "--tenant", "acme", "--project", "p" * 65],
    ],
    ids=["tenant", "project", "budget tenant", "budget project"],
)
def test_names_too_long_for_the_database_are_usage_errors(
    command: list[str], database_env: Path
) -> None:
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "1-64 characters" in result.output
