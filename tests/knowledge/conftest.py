"""Knowledge tests embed with the fake backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.config import DeploymentConfig, Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        embedding_deployment="fake-embed",
        deployments=[
            DeploymentConfig.model_validate({"name": "fake", "backend": "fake"}),
            DeploymentConfig.model_validate({"name": "fake-embed", "backend": "fake"}),
        ],
    )
