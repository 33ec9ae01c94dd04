"""Wire models of the content-safety routes (Azure AI Content Safety's shapes)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AnalyzeText(_Strict):
    """Body of POST /contentsafety/text:analyze."""

    text: str = Field(min_length=1)  # the upper bound is the route's, in Azure's words
    categories: list[Literal["Hate", "Sexual", "SelfHarm", "Violence"]] | None = None
    blocklist_names: list[str] = Field(default_factory=list, alias="blocklistNames")
    halt_on_blocklist_hit: bool = Field(default=False, alias="haltOnBlocklistHit")
    output_type: Literal["FourSeverityLevels", "EightSeverityLevels"] = Field(
        default="FourSeverityLevels", alias="outputType"
    )


class ShieldPrompt(_Strict):
    """Body of POST /contentsafety/text:shieldPrompt."""

    user_prompt: str = Field(default="", alias="userPrompt")
    documents: list[str] = Field(default_factory=list, max_length=5)


class BlocklistBody(_Strict):
    """Body of PATCH /contentsafety/text/blocklists/{name}."""

    description: str = Field(default="", max_length=1024)


class BlocklistItemIn(_Strict):
    """One item to add."""

    text: str = Field(min_length=1, max_length=256)
    description: str = Field(default="", max_length=1024)
    is_regex: bool = Field(default=False, alias="isRegex")


class AddItems(_Strict):
    """Body of POST .../{name}:addOrUpdateBlocklistItems."""

    blocklist_items: list[BlocklistItemIn] = Field(
        alias="blocklistItems", min_length=1, max_length=100
    )


class RemoveItems(_Strict):
    """Body of POST .../{name}:removeBlocklistItems."""

    blocklist_item_ids: list[str] = Field(alias="blocklistItemIds", min_length=1)


class ModerationRequest(_Strict):
    """Body of POST /v1/moderations."""

    input: str | list[str]
    model: str | None = None


class ReviewDecision(_Strict):
    """Body of POST /admin/review/{id}/approve|reject."""

    note: str | None = Field(default=None, max_length=4000)
