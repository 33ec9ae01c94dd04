"""IDs on the command line: any unique start of one names it, a start shared by several is
an error listing them, and listings show ids short unless --wide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
from sqlalchemy import update
from typer.testing import CliRunner

from tandem.cli import knowledge as knowledge_cli
from tandem.cli import support as support_cli
from tandem.cli.ids import pick, shorten
from tandem.cli.main import app
from tandem.cli.store import open_database
from tandem.governance.keys import KeySpec, KeyStore
from tandem.safety.review import ReviewQueue
from tandem.store.models import ApiKey
from tests.live_server import ADMIN_KEY, AUTH, live_app, live_settings, serve


def test_shorten_keeps_ids_apart() -> None:
    ids = ["kb_0123456789abcdef", "kb_01234567ffffffff", "kb_fedcba9876543210"]
    shown = shorten(ids)
    assert shown["kb_fedcba9876543210"] == "kb_fedcba98"
    # The first two share 8 characters after the kind: each is shown until they differ.
    assert shown["kb_0123456789abcdef"] == "kb_012345678"
    assert shown["kb_01234567ffffffff"] == "kb_01234567f"
    assert shorten(ids, wide=True) == {i: i for i in ids}
    assert shorten(["3f9a1c0d2b7e4a5f8c6d1e2f3a4b5c6d"]) == {
        "3f9a1c0d2b7e4a5f8c6d1e2f3a4b5c6d": "3f9a1c0d"
    }


def test_pick() -> None:
    ids = ["ds_aaaa1111", "ds_aaaa2222", "ds_bbbb3333"]
    assert pick("ds_bbbb", ids, "dataset") == "ds_bbbb3333"
    assert pick("ds_aaaa1111", ids, "dataset") == "ds_aaaa1111"
    assert pick("ds_cccc", ids, "dataset") is None
    with pytest.raises(typer.Exit):
        pick("ds_aaaa", ids, "dataset")  # two of them
    with pytest.raises(typer.Exit):
        pick("ds_b", ids, "dataset")  # unique, but too short to trust


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TANDEM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TANDEM_CONFIG", raising=False)
    monkeypatch.delenv("TANDEM_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")  # wide enough for whole ids in a table
    return CliRunner()


def _keys_with_ids(ids: list[str]) -> KeyStore:
    _, db = open_database(None)
    store = KeyStore(db)
    for wanted in ids:
        issued = store.create(KeySpec(tenant="acme"))
        with db.session() as session, session.begin():
            session.execute(update(ApiKey).where(ApiKey.id == issued.id).values(id=wanted))
    return store


def test_keys_by_prefix(runner: CliRunner) -> None:
    first, second = "abcd1111" + "0" * 24, "abcd2222" + "0" * 24
    store = _keys_with_ids([first, second])
    listed = runner.invoke(app, ["keys", "list"])
    assert "abcd1111 " in listed.output
    assert first not in listed.output
    assert first in runner.invoke(app, ["keys", "list", "--wide"]).output
    ambiguous = runner.invoke(app, ["keys", "revoke", "abcd"])
    assert ambiguous.exit_code == 1
    assert "2 key ids" in ambiguous.output
    assert first in ambiguous.output
    assert second in ambiguous.output
    assert store.get(first, None).revoked_at is None
    revoked = runner.invoke(app, ["keys", "revoke", "abcd1"])
    assert revoked.exit_code == 0, revoked.output
    assert f"revoked {first}" in revoked.output
    assert store.get(first, None).revoked_at is not None
    assert store.get(second, None).revoked_at is None
    rotated = runner.invoke(app, ["keys", "rotate", "abcd2"])
    assert rotated.exit_code == 0, rotated.output
    assert store.get(second, None).revoked_at is not None
    missing = runner.invoke(app, ["keys", "revoke", "ffff"])
    assert missing.exit_code == 1
    assert "no key 'ffff'" in missing.output


def test_review_items_by_prefix(runner: CliRunner) -> None:
    _, db = open_database(None)
    queue = ReviewQueue(db, 30)
    item = queue.submit(tenant="acme", kind="prompt_blocked", content="x", findings={})
    listed = runner.invoke(app, ["review", "list"])
    assert item.id[:8] in listed.output
    assert item.id not in listed.output
    assert item.id in runner.invoke(app, ["review", "list", "--wide"]).output
    decided = runner.invoke(app, ["review", "reject", item.id[:6]])
    assert decided.exit_code == 0, decided.output
    assert queue.get(item.id, None).status == "rejected"


def _mock_server(monkeypatch: pytest.MonkeyPatch, routes: dict[tuple[str, str], Any]) -> list[str]:
    """Serve `routes` to the CLI modules; the paths asked for, in order."""
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.method} {request.url.path}")
        return httpx.Response(200, json=routes[(request.method, request.url.path)])

    def connect(server: str, key: str | None, timeout: float = 600) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(handler), base_url=server)

    for module in (knowledge_cli, support_cli):
        monkeypatch.setattr(module, "connect", connect)
    return asked


KBS = {
    "object": "list",
    "data": [
        {"id": "kb_abcd111100000000", "name": "help"},
        {"id": "kb_abcd222200000000", "name": "docs"},
    ],
}


def test_an_ambiguous_knowledge_base_lists_the_candidates(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _mock_server(monkeypatch, {("GET", "/v1/knowledge-bases"): KBS})
    result = runner.invoke(app, ["kb", "delete", "kb_abcd"])
    assert result.exit_code == 1
    assert "2 knowledge base ids: kb_abcd111100000000, kb_abcd222200000000" in result.output


def test_a_whole_id_is_not_looked_up(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _mock_server(
        monkeypatch, {("DELETE", "/v1/knowledge-bases/kb_abcd111100000000"): {"deleted": True}}
    )
    result = runner.invoke(app, ["kb", "delete", "kb_abcd111100000000"])
    assert result.exit_code == 0, result.output
    assert asked == ["DELETE /v1/knowledge-bases/kb_abcd111100000000"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(live_app(live_settings(tmp_path_factory.mktemp("ids") / "data"))) as url:
        yield url


def test_knowledge_bases_datasets_and_tickets_by_prefix(
    live: str, runner: CliRunner, tmp_path: Path
) -> None:
    options = ["--server", live, "--api-key", ADMIN_KEY]
    kb = httpx.post(f"{live}/v1/knowledge-bases", json={"name": "shop"}, headers=AUTH).json()
    listed = runner.invoke(app, ["kb", "list", *options])
    assert kb["id"][:11] in listed.output
    assert kb["id"] not in listed.output
    assert kb["id"] in runner.invoke(app, ["kb", "list", "--wide", *options]).output
    (tmp_path / "returns.md").write_text("# Returns\n\nReturns are accepted within 30 days.\n")
    ingested = runner.invoke(app, ["kb", "ingest", kb["id"][:7], "returns.md", *options])
    assert ingested.exit_code == 0, ingested.output
    assert f"1 added into {kb['id']}" in ingested.output
    shown = runner.invoke(app, ["kb", "show", kb["id"][:8], *options])
    assert "returns.md" in shown.output

    (tmp_path / "sales.csv").write_text("region,amount\nnorth,1\nsouth,2\n")
    added = runner.invoke(app, ["datasets", "add", "sales.csv", "--name", "sales", *options])
    assert added.exit_code == 0, added.output
    dataset = added.output.split("dataset ")[1].split()[0]
    listed = runner.invoke(app, ["datasets", "list", *options])
    assert dataset[:11] in listed.output
    assert dataset not in listed.output
    for given in (dataset[:7], "sales"):
        shown = runner.invoke(app, ["datasets", "show", given, *options])
        assert shown.exit_code == 0, shown.output
        assert "region" in shown.output

    chat = {"knowledge_base": kb["id"], "messages": [{"role": "user", "content": "get me a human"}]}
    ticket = httpx.post(f"{live}/v1/support/chat", json=chat, headers=AUTH).json()["ticket_id"]
    listed = runner.invoke(app, ["support", "tickets", *options])
    assert ticket[:12] in listed.output
    assert ticket not in listed.output
    claimed = runner.invoke(app, ["support", "claim", ticket[:8], "--agent", "ana", *options])
    assert claimed.exit_code == 0, claimed.output
    assert f"{ticket}: claimed" in claimed.output
    closed = runner.invoke(app, ["support", "close", ticket[:8], "--agent", "ana", *options])
    assert f"{ticket}: closed" in closed.output
    every = runner.invoke(app, ["support", "tickets", "--status", "all", "--wide", *options])
    assert ticket in every.output

    deleted = runner.invoke(app, ["datasets", "delete", dataset[:7], *options])
    assert f"deleted {dataset}" in deleted.output
