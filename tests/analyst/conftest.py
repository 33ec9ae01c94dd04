"""Analyst tests: the fake model serves as the analyst's model; a retail dataset is at hand."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tandem.config import DeploymentConfig, Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "eval"))
from analyst.generate import generate


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        builtin_deployments=False,
        analyst_deployment="fake",
        deployments=[
            DeploymentConfig.model_validate({"name": "fake", "backend": "fake"}),
            DeploymentConfig.model_validate({"name": "fake-embed", "backend": "fake"}),
        ],
    )


@pytest.fixture(scope="session")
def retail(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("retail")
    generate(folder)
    return sorted(folder.glob("*.csv"))
