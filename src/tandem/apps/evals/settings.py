"""The evals product's limits, from `TANDEM_EVALS_*` environment variables."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class EvalsSettings(BaseSettings):
    """Limits on what one eval or run may hold, and how much runs at once."""

    model_config = SettingsConfigDict(env_prefix="TANDEM_EVALS_", extra="ignore")

    max_items: int = Field(default=2000, ge=1, description="items per run")
    max_item_bytes: int = Field(default=64 * 1024, ge=256, description="JSON bytes per item")
    max_source_bytes: int = Field(
        default=16 * 1024 * 1024, ge=1024, description="bytes of a run's data (inline or file)"
    )
    max_criteria: int = Field(default=16, ge=1, description="testing criteria per eval")
    max_template_chars: int = Field(default=32 * 1024, ge=64, description="chars per template")
    max_rendered_chars: int = Field(default=256 * 1024, ge=64, description="chars per render")
    max_completion_tokens: int = Field(default=4096, ge=1, description="per sample")
    item_concurrency: int = Field(default=2, ge=1, le=64, description="items at once, all runs")
    max_active_runs: int = Field(default=8, ge=1, description="runs queued or running")
    item_timeout_s: float = Field(default=300.0, gt=0, description="sampling + grading an item")
