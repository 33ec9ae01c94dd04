"""Support tests: the fake model answers, the fake embedder embeds; a help centre to search."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tandem.config import DeploymentConfig, Settings

DOCS = {
    "shipping.md": (
        "# Shipping\n\nStandard shipping takes 4 to 6 business days and costs $6.95. "
        "Standard shipping is free on orders over $75.\n\n## Overnight\n\n"
        "Overnight shipping costs $29.95 for orders placed before 1 pm."
    ),
    "returns.md": (
        "# Returns\n\nYou can return unused items within 60 days of delivery for a full refund. "
        "Refunds reach your card within 5 business days."
    ),
}


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """Every support test runs on SQLite and on PostgreSQL."""
    return Settings(
        data_dir=tmp_path / "data",
        database_url=db_url,
        builtin_deployments=False,
        embedding_deployment="fake-embed",
        support_deployment="fake",
        deployments=[
            DeploymentConfig.model_validate({"name": "fake", "backend": "fake"}),
            DeploymentConfig.model_validate({"name": "fake-embed", "backend": "fake"}),
        ],
    )


async def make_kb(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> str:
    """A knowledge base with the help centre's documents; its id."""
    response = await client.post("/v1/knowledge-bases", json={"name": "Acme"}, headers=headers)
    kb = str(response.json()["id"])
    files = [("files", (name, text.encode(), "text/markdown")) for name, text in DOCS.items()]
    added = await client.post(f"/v1/knowledge-bases/{kb}/documents", files=files, headers=headers)
    assert [r["status"] for r in added.json()["data"]] == ["added", "added"]
    return kb
