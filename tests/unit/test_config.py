"""Settings from flags, environment and tandem.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from tandem.config import DeploymentConfig, Settings, load_settings

TOML = """
port = 9100

[[deployments]]
name = "gpt"
backend = "openai"
fallbacks = ["smollm2"]
options = { base_url = "http://127.0.0.1:8001/v1", model = "m" }

[[deployments]]
name = "balanced"
  [[deployments.targets]]
  backend = "openai"
  weight = 3
  options = { base_url = "http://a/v1" }
  [[deployments.targets]]
  backend = "openai"
  options = { base_url = "http://b/v1" }
"""


def test_file_environment_and_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "tandem.toml"
    config.write_text(TOML)
    monkeypatch.setenv("TANDEM_DATA_DIR", str(tmp_path / "d"))
    settings = load_settings(config)
    assert settings.port == 9100
    assert settings.data_dir == tmp_path / "d"
    names = [d.name for d in settings.all_deployments()]
    assert names == ["gpt", "balanced", "smollm2", "all-minilm-l6-v2"]
    assert settings.deployments[1].targets[0].weight == 3
    monkeypatch.setenv("TANDEM_PORT", "9200")
    assert load_settings(config).port == 9200  # environment over file
    assert load_settings(config, port=9300).port == 9300  # flag over environment


def test_configured_deployment_replaces_builtin_of_same_name() -> None:
    custom = DeploymentConfig.model_validate(
        {"name": "smollm2", "backend": "llamacpp", "options": {"n_ctx": 1024}}
    )
    settings = Settings(deployments=[custom])
    smol = [d for d in settings.all_deployments() if d.name == "smollm2"]
    assert len(smol) == 1
    assert smol[0].targets[0].options == {"n_ctx": 1024}


def test_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_settings(tmp_path / "absent.toml")


def test_unknown_keys_and_bad_names_are_refused() -> None:
    with pytest.raises(ValidationError):
        Settings.model_validate({"nonsense": 1})
    with pytest.raises(ValidationError):
        DeploymentConfig.model_validate({"name": "bad name!", "backend": "openai"})
