"""Safety policies declared in tandem.toml: checked when the file is read, stored at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.backends.registry import BackendRegistry
from tandem.config import load_settings
from tandem.platform import Platform


def test_a_bad_policy_in_the_file_names_the_deployment(tmp_path: Path) -> None:
    path = tmp_path / "tandem.toml"
    path.write_text('[safety_policies]\nchat = { prompt = { violence = { threshold = "x" } } }\n')
    with pytest.raises(ValueError, match=r"safety_policies\.chat"):
        load_settings(path)


async def test_the_files_policy_is_in_force_after_start(
    tmp_path: Path, registry: BackendRegistry
) -> None:
    path = tmp_path / "tandem.toml"
    path.write_text(
        f'data_dir = "{tmp_path / "data"}"\nbuiltin_deployments = false\n'
        "[safety_policies]\n"
        'default = { prompt = { violence = { threshold = "high", action = "annotate" } } }\n'
    )
    platform = Platform.build(load_settings(path), registry)
    await platform.start()
    try:
        policy = platform.safety.policies.for_deployment("anything")
        assert policy.prompt.violence.threshold == "high"
        assert policy.prompt.violence.action == "annotate"
    finally:
        await platform.stop()
