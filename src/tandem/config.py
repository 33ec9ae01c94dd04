"""Settings: TANDEM_* environment variables, then tandem.toml, then built-in defaults.

Command-line flags (passed as keyword overrides) win over the environment, which wins
over the file. Nothing here is read at import time: `load_settings` builds a fresh object.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEPLOYMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
DEFAULT_CHAT_DEPLOYMENT = "smollm2"
DEFAULT_EMBEDDING_DEPLOYMENT = "all-minilm-l6-v2"
# Product settings that were top-level keys before products had tables of their own.
_FLAT_PRODUCT_KEYS = {
    "analyst_deployment": ("analyst", "deployment"),
    "support_deployment": ("support", "deployment"),
    "support_answer_mode": ("support", "answer_mode"),
    "widget_rpm": ("support", "widget_rpm"),
}


class TargetConfig(BaseModel):
    """One backend behind a deployment, with its balancing weight."""

    model_config = ConfigDict(extra="forbid")

    backend: str
    weight: float = Field(default=1.0, gt=0)
    options: dict[str, Any] = Field(default_factory=dict)


class DeploymentConfig(BaseModel):
    """A named deployment: the backends that serve it and how the router treats them."""

    model_config = ConfigDict(extra="forbid")

    name: str
    targets: list[TargetConfig] = Field(min_length=1)
    fallbacks: list[str] = Field(default_factory=list)
    timeout_s: float = Field(default=120.0, gt=0)
    max_retries: int = Field(default=2, ge=0, le=10)
    cooldown_s: float = Field(default=30.0, ge=0)
    cooldown_after: int = Field(default=3, ge=1)
    rpm: int | None = Field(default=None, ge=1, description="requests per minute, all callers")
    tpm: int | None = Field(default=None, ge=1, description="tokens per minute, all callers")
    prompt_price_per_1k: float = Field(default=0.0, ge=0, description="USD per 1k prompt tokens")
    completion_price_per_1k: float = Field(default=0.0, ge=0, description="USD per 1k completion")

    @model_validator(mode="before")
    @classmethod
    def _single_target_shorthand(cls, data: Any) -> Any:
        # `backend = ...` with `options = {...}` at the top level means one target.
        if isinstance(data, dict) and "backend" in data and "targets" not in data:
            data = dict(data)
            data["targets"] = [{"backend": data.pop("backend"), "options": data.pop("options", {})}]
        return data

    @field_validator("name")
    @classmethod
    def _valid_name(cls, value: str) -> str:
        if not DEPLOYMENT_NAME.match(value):
            raise ValueError(
                "deployment names are 1-64 characters: letters, digits, '.', '_', ':' or '-'"
            )
        return value


def default_data_dir() -> Path:
    """The platform's per-user data directory for Tandem."""
    return Path(platformdirs.user_data_dir("tandem", appauthor=False))


class Settings(BaseSettings):
    """Everything the server needs to start; see README.md for each setting."""

    model_config = SettingsConfigDict(env_prefix="TANDEM_", extra="forbid")

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Field(default_factory=default_data_dir)
    admin_key: SecretStr | None = None
    auth: Literal["auto", "keys", "off"] = "auto"
    database_url: str | None = None
    redis_url: str | None = None
    safety_retention_days: int = Field(default=30, ge=1)
    embedding_deployment: str = DEFAULT_EMBEDDING_DEPLOYMENT
    builtin_deployments: bool = True
    deployments: list[DeploymentConfig] = Field(default_factory=list)
    # Content-safety policies per deployment ("default" for the rest), in the shape of
    # `tandem safety policy show`; stored at every start-up, so the file is the source of
    # truth for the deployments it names (`[safety_policies.default.prompt.violence]`).
    safety_policies: dict[str, dict[str, Any]] = Field(default_factory=dict)
    # Each product's own settings, by product name: a `[support]` table of tandem.toml (or
    # one of the older top-level keys, such as `support_answer_mode`). The product validates
    # its table with its own model, under its own `TANDEM_<PRODUCT>_*` variables.
    products: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _product_tables(cls, data: Any) -> Any:
        """Move product tables (and the older flat keys) into `products`."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        products = {k: dict(v) for k, v in (data.pop("products", None) or {}).items()}
        for key in [k for k in data if k not in cls.model_fields]:
            if key in _FLAT_PRODUCT_KEYS:
                product, name = _FLAT_PRODUCT_KEYS[key]
                products.setdefault(product, {})[name] = data.pop(key)
            elif isinstance(data[key], dict):
                products.setdefault(key, {}).update(data.pop(key))
        data["products"] = products
        return data

    @field_validator("safety_policies")
    @classmethod
    def _valid_policies(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        from tandem.safety.policy import SafetyPolicy

        checked = {}
        for name, policy in value.items():
            try:
                checked[name] = SafetyPolicy.model_validate(policy).model_dump(mode="json")
            except ValueError as exc:
                raise ValueError(f"safety_policies.{name} is not a safety policy: {exc}") from exc
        return checked

    max_body_bytes: int = Field(default=8 * 1024 * 1024, gt=0)
    max_upload_bytes: int = Field(default=256 * 1024 * 1024, gt=0)
    queue_size: int = Field(default=32, ge=1)
    max_generation_s: float = Field(default=300.0, gt=0)
    files_max_bytes: int = Field(default=64 * 1024 * 1024, gt=0, description="per /v1/files upload")
    files_tenant_bytes: int = Field(
        default=10 * 1024**3, gt=0, description="all of a tenant's files"
    )
    batch_max_lines: int = Field(default=50_000, ge=1)
    batch_concurrency: int = Field(default=2, ge=1, description="batch lines at once per replica")
    batch_lease_s: float = Field(default=60.0, gt=0, description="a claimed line's lease")
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["json", "text"] = "json"

    def all_deployments(self) -> list[DeploymentConfig]:
        """Configured deployments plus the built-in embedded ones not overridden by name."""
        configured = list(self.deployments)
        if not self.builtin_deployments:
            return configured
        names = {d.name for d in configured}
        builtins = [
            DeploymentConfig(
                name=DEFAULT_CHAT_DEPLOYMENT, targets=[TargetConfig(backend="llamacpp")]
            ),
            DeploymentConfig(
                name=DEFAULT_EMBEDDING_DEPLOYMENT, targets=[TargetConfig(backend="minilm")]
            ),
        ]
        return configured + [d for d in builtins if d.name not in names]


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from flags (`overrides`), the environment and an optional tandem.toml."""
    path = config_file or _default_config_file()
    if path is not None and not path.is_file():
        raise FileNotFoundError(f"config file not found: {path}")

    class _FileBackedSettings(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            sources: tuple[PydanticBaseSettingsSource, ...] = (init_settings, env_settings)
            if path is not None:
                sources += (TomlConfigSettingsSource(settings_cls, toml_file=path),)
            return sources

    values = {k: v for k, v in overrides.items() if v is not None}
    return Settings.model_validate(_FileBackedSettings(**values).model_dump())


def _default_config_file() -> Path | None:
    env = os.environ.get("TANDEM_CONFIG")
    if env:
        return Path(env)
    local = Path("tandem.toml")
    return local if local.is_file() else None
