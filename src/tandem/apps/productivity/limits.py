"""Limits and settings of the productivity assistant."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ProductivitySettings(BaseSettings):
    """`[productivity]` in tandem.toml, `TANDEM_PRODUCTIVITY_*` in the environment; the
    deployment defaults to the analyst's chat model."""

    model_config = SettingsConfigDict(env_prefix="TANDEM_PRODUCTIVITY_", extra="forbid")

    deployment: str | None = None
    max_file_bytes: int = Field(default=20 * 1024 * 1024, gt=0)
    max_pages: int = Field(default=200, ge=1, description="PDF pages and .pptx slides read")
    max_slides: int = Field(default=40, ge=2, description="slides one deck may have")
    max_workbook_rows: int = Field(default=200_000, ge=1)
    max_sections: int = Field(default=200, ge=1)
    auto_timeout_s: float = Field(
        default=60.0, gt=0, description="in method auto, how long the model may take"
    )

    @property
    def chat_deployment(self) -> str:
        """The deployment the assistant writes with."""
        assert self.deployment is not None
        return self.deployment
