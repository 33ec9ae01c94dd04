"""`tandem assess` driven through a pseudo-terminal, as a person would: wrong replies are
re-asked, and the written tandem.toml is one the server's settings load."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tandem.app import create_app
from tandem.apps.advisor.product import build
from tandem.backends.registry import BackendRegistry
from tandem.config import load_settings
from tandem.platform import Platform
from tests.fakes import FakeBackend
from tests.live_server import live_settings, serve

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    """A child process on a pseudo-terminal, 200 columns wide."""

    def __init__(self, argv: list[str], cwd: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
        env = {k: v for k, v in os.environ.items() if not k.startswith("TANDEM_")}
        env |= {"TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200"}
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.seen = ""
        self.pos = 0

    def expect(self, text: str, timeout: float = 60) -> str:
        """Read until `text` appears after what was matched before; what came before it."""
        deadline = time.monotonic() + timeout
        while text not in self.seen[self.pos :]:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.master], [], [], max(left, 0))
            if not ready:
                raise AssertionError(f"no {text!r} in time; screen: {self.seen[-1500:]!r}")
            try:
                data = os.read(self.master, 4096)
            except OSError:  # EIO: the child closed the terminal
                data = b""
            if not data:
                raise AssertionError(f"ended before {text!r}; screen: {self.seen[-1500:]!r}")
            self.seen = ANSI.sub("", self.seen + data.decode(errors="replace"))
        start = self.seen.index(text, self.pos)
        before, self.pos = self.seen[self.pos : start], start + len(text)
        return before

    def send(self, line: str) -> None:
        """Type a line and press Enter."""
        os.write(self.master, line.encode() + b"\r")

    def close(self) -> int:
        """Wait for the child; its exit status."""
        try:
            return self.process.wait(timeout=60)
        finally:
            os.close(self.master)


def _answer_everything(term: Terminal) -> None:
    term.expect("1/5 Cloud scale")
    term.expect("Answer (")
    term.send("7")  # out of range: re-asked
    assert "is 7; answers run from 1" in term.expect("Try again.")
    term.expect("Answer (")
    term.send("lots")  # not a number: re-asked
    term.expect("Try again.")
    term.expect("Answer (")
    term.send("5")
    for reply in ("3", "2", "1", "5"):
        term.expect("Answer (")
        term.send(reply)
    term.expect("Users at the busiest time")
    term.send("2000")
    term.expect("Peak requests per second")
    term.send("")  # skipped
    term.expect("Data sensitivity")
    term.send("top secret")
    term.expect("Try again.")
    term.expect("Data sensitivity")
    term.send("public")
    term.expect("Monthly budget in USD")
    term.send("-5")
    term.expect("Try again.")
    term.expect("Monthly budget in USD")
    term.send("20000")
    term.expect("Use cases")
    term.send("support answers; SQL over sales data")


def test_the_offline_flow_writes_a_config(tmp_path: Path) -> None:
    term = Terminal([sys.executable, "-m", "tandem", "assess", "--offline"], tmp_path)
    _answer_everything(term)
    term.expect("Recommendation:")
    assert "OpenAI upstreams" in term.expect("Wrote")
    term.expect("tandem serve --config tandem.toml")
    assert term.close() == 0
    settings = load_settings(tmp_path / "tandem.toml")
    assert {d.name for d in settings.deployments} == {"chat", "chat-backup", "embeddings"}
    assert (tmp_path / "safety-policy.json").is_file()
    samples = (tmp_path / "advisor-samples.jsonl").read_text()
    assert "SQL over sales data" in samples


def test_the_server_flow_stores_the_assessment(tmp_path: Path) -> None:
    settings = live_settings(tmp_path / "data")
    registry = BackendRegistry.from_entry_points()
    registry.register("fake", FakeBackend)
    platform = Platform.build(settings, registry, products={"advisor": build})
    (tmp_path / "tandem.toml").write_text("# an old file\n")
    with serve(create_app(settings, platform)) as url:
        argv = [
            sys.executable,
            "-m",
            "tandem",
            "assess",
            "--server",
            url,
            "--api-key",
            "live-admin-key",
        ]
        term = Terminal(argv, tmp_path)
        term.expect("exists. Overwrite it?")
        term.send("y")
        _answer_everything(term)
        term.expect("(assessment asmt_")
        assert term.close() == 0
    assert (
        "# tandem.toml written by the Tandem adoption advisor (assessment asmt_"
        in (tmp_path / "tandem.toml").read_text()
    )
