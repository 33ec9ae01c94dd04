"""Wire models of /v1/productivity: request bodies (JSON and multipart) and response bodies."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Method = Literal["auto", "model", "extractive"]
MAX_TEXT = 200_000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
METHOD_HELP = "auto: the model where it does well, else the deterministic floor; model; extractive"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SummarizeBody(_Body):
    """JSON body of POST /v1/productivity/summarize (or upload a multipart `file`)."""

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="Markdown or plain text")
    length: Literal["short", "medium", "long"] = "medium"
    method: Method = Field(default="auto", description=METHOD_HELP)


class PresentationBody(_Body):
    """JSON body of POST /v1/productivity/presentation (or upload a multipart `file`)."""

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="Markdown or plain text")
    slides: int = Field(default=12, ge=2, le=40, description="the most slides, title included")
    method: Method = Field(default="auto", description=METHOD_HELP)


class FormulaBody(_Body):
    """Body of POST /v1/productivity/spreadsheet/formula."""

    description: str = Field(min_length=1, max_length=2000)
    headers: list[str] = Field(min_length=1, max_length=200)
    sample_rows: list[list[str | float | int | bool | None]] = Field(
        default_factory=list, max_length=200, description="rows under the header, to check on"
    )
    method: Method = Field(
        default="auto", description="auto: rules, else the model; model; extractive: rules only"
    )


class RewriteBody(_Body):
    """Body of POST /v1/productivity/rewrite."""

    text: str = Field(min_length=1, max_length=20_000)
    tone: Literal["formal", "friendly", "concise"] = "formal"
    length: Literal["shorter", "same", "longer"] = "same"
    method: Method = Field(default="auto", description=METHOD_HELP)


class DraftBody(_Body):
    """JSON body of POST /v1/productivity/draft (or multipart `instructions` and `files`)."""

    instructions: str = Field(min_length=1, max_length=4000)
    file_ids: list[str] = Field(
        default_factory=list, max_length=10, description="ids of files uploaded through /v1/files"
    )
    method: Method = Field(default="auto", description=METHOD_HELP)


class SectionSummary(BaseModel):
    """One section's heading and summary."""

    heading: str
    summary: str


class SummaryOut(BaseModel):
    """A summary."""

    object: Literal["productivity.summary"]
    title: str
    summary: str
    key_points: list[str]
    sections: list[SectionSummary]
    method: Literal["model", "extractive"]
    figures: list[str] = Field(description="the document's figures, which summaries keep exactly")


class SlideOut(BaseModel):
    """One slide of a deck's outline."""

    title: str
    kind: Literal["title", "content"]
    bullets: list[str] | None = None
    notes: bool | None = None
    chart: bool | None = None


class PresentationOut(BaseModel):
    """A deck's outline (`?format=json`)."""

    object: Literal["productivity.presentation"]
    title: str
    slides: list[SlideOut]
    method: Literal["model", "mixed", "extractive"]


class InsightOut(BaseModel):
    """One finding of a workbook."""

    kind: Literal["total", "average", "leader", "trend", "outlier"]
    text: str
    measure: str
    values: dict[str, Any]


class InsightsOut(BaseModel):
    """A workbook's insights."""

    object: Literal["productivity.insights"]
    source: str
    rows: int
    columns: dict[str, Any]
    insights: list[InsightOut]
    method: Literal["computed"]
    engine: str
    chart: dict[str, Any] | None


class FormulaCheck(BaseModel):
    """What evaluating the formula on the sample rows gave."""

    ok: bool | None
    detail: str
    values: list[Any]
    sample_rows: int


class FormulaOut(BaseModel):
    """A formula and its check."""

    object: Literal["productivity.formula"]
    formula: str
    explanation: str
    method: Literal["rules", "model"]
    check: FormulaCheck


class RewriteOut(BaseModel):
    """Rewritten text."""

    object: Literal["productivity.rewrite"]
    text: str
    tone: str
    length: str
    method: Literal["rules", "model"]


class DraftSectionOut(BaseModel):
    """A drafted section."""

    heading: str
    paragraphs: list[str]


class DraftOut(BaseModel):
    """A draft (`?format=json`)."""

    object: Literal["productivity.draft"]
    title: str
    method: Literal["model", "extractive"]
    sections: list[DraftSectionOut]
    sources: list[str]


def file_response(model: type[BaseModel], media: str, description: str) -> dict[int | str, Any]:
    """`responses=` for a route answering JSON or a file."""
    return {
        200: {
            "model": model,
            "description": description,
            "content": {media: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
