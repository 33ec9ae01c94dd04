"""`tandem safety policy`, `tandem review`, `tandem keys`, `tandem usage`, `tandem audit`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.cli.main import app
from tandem.cli.store import open_database
from tandem.governance.keys import KeyStore
from tandem.safety.review import ReviewQueue


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TANDEM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TANDEM_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_policy_set_and_show(runner: CliRunner) -> None:
    policy = {"prompt": {"violence": {"threshold": "low", "action": "block"}}, "jailbreak": "off"}
    result = runner.invoke(app, ["safety", "policy", "set", "smollm2", json.dumps(policy)])
    assert result.exit_code == 0, result.output
    shown = json.loads(runner.invoke(app, ["safety", "policy", "show", "smollm2"]).stdout)
    assert shown["prompt"]["violence"] == {"threshold": "low", "action": "block"}
    assert shown["jailbreak"] == "off"
    bad = runner.invoke(app, ["safety", "policy", "set", "smollm2", '{"prompt": {"nope": 1}}'])
    assert bad.exit_code == 1


def test_review_list_and_decide(runner: CliRunner) -> None:
    _, db = open_database(None)
    item = ReviewQueue(db, 30).submit(
        tenant="acme", kind="prompt_blocked", content="bad words", findings={"filtered": ["hate"]}
    )
    listing = runner.invoke(app, ["review", "list"])
    assert item.id[:8] in listing.stdout
    decided = runner.invoke(app, ["review", "approve", item.id, "--note", "false positive"])
    assert decided.exit_code == 0, decided.output
    assert ReviewQueue(db, 30).get(item.id, None).status == "approved"
    assert runner.invoke(app, ["review", "approve", item.id]).exit_code == 1
    verify = runner.invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0
    assert "intact" in verify.stdout


def test_keys_create_list_revoke(runner: CliRunner) -> None:
    created = runner.invoke(app, ["keys", "create", "--tenant", "acme", "--rpm", "5", "--admin"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("sk-")
    _, db = open_database(None)
    principal = KeyStore(db).verify(secret)
    assert (principal.tenant, principal.scope, principal.rpm) == ("acme", "admin", 5)
    assert "acme" in runner.invoke(app, ["keys", "list"]).stdout
    revoked = runner.invoke(app, ["keys", "revoke", principal.key_id or ""])
    assert revoked.exit_code == 0
    usage = runner.invoke(app, ["usage", "--by", "deployment", "--csv"])
    assert usage.stdout.startswith("deployment,requests")


def test_policy_set_merges_the_keys_given(runner: CliRunner) -> None:
    first = {"prompt": {"violence": {"threshold": "low"}}, "jailbreak": "annotate"}
    assert runner.invoke(app, ["safety", "policy", "set", "m", json.dumps(first)]).exit_code == 0
    second = {"prompt": {"hate": {"action": "annotate"}}}
    assert runner.invoke(app, ["safety", "policy", "set", "m", json.dumps(second)]).exit_code == 0
    shown = json.loads(runner.invoke(app, ["safety", "policy", "show", "m"]).stdout)
    assert shown["prompt"]["violence"] == {"threshold": "low", "action": "block"}
    assert shown["prompt"]["hate"] == {"threshold": "medium", "action": "annotate"}
    assert shown["jailbreak"] == "annotate"
    replaced = runner.invoke(app, ["safety", "policy", "set", "m", json.dumps(second), "--replace"])
    assert replaced.exit_code == 0, replaced.output
    shown = json.loads(runner.invoke(app, ["safety", "policy", "show", "m"]).stdout)
    assert shown["prompt"]["violence"] == {"threshold": "medium", "action": "block"}
    assert shown["jailbreak"] == "block"
    assert runner.invoke(app, ["safety", "policy", "set", "m", "not json"]).exit_code == 1


def test_review_list_prints_findings_readably(runner: CliRunner) -> None:
    _, db = open_database(None)
    findings = {
        "severities": {"violence": 6, "hate": 2},
        "filtered": ["violence"],
        "jailbreak": True,
        "indirect_attack": False,
        "blocklists": [],
        "pii": ["EMAIL_ADDRESS"],
    }
    ReviewQueue(db, 30).submit(
        tenant="acme", kind="prompt_blocked", content="text", findings=findings
    )
    listing = runner.invoke(app, ["review", "list"], env={"COLUMNS": "250"}).stdout
    assert "violence high (blocked)" in listing
    assert "hate low" in listing
    assert "jailbreak" in listing
    assert "{" not in listing
