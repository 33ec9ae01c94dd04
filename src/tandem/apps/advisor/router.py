"""Routes of /v1/advisor: the checklist, and assessments stored per tenant."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from starlette.responses import Response

from tandem.apps.advisor.inputs import parse_inputs
from tandem.apps.advisor.product import NAME, AdvisorProduct
from tandem.apps.advisor.questions import (
    CONTEXT_FIELDS,
    MAX_ANSWER,
    MIN_ANSWER,
    QUESTION_IDS,
    questions_document,
)
from tandem.http.bodies import JSONRoute
from tandem.http.deps import PlatformDep, PrincipalDep
from tandem.http.openapi import errors
from tandem.http.responses import JSONBytes

router = APIRouter(prefix="/v1/advisor", tags=["advisor"], route_class=JSONRoute)

_ANSWERS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        q: {"type": "integer", "minimum": MIN_ANSWER, "maximum": MAX_ANSWER} for q in QUESTION_IDS
    },
    "required": list(QUESTION_IDS),
    "additionalProperties": False,
}
_CONTEXT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {f["id"]: {k: v for k, v in f.items() if k != "id"} for f in CONTEXT_FIELDS},
    "additionalProperties": False,
}


class AssessmentRequest(BaseModel):
    """The five answers (1 = not at all .. 5 = essential) and optional context."""

    model_config = ConfigDict(extra="forbid")

    # Checked by `parse_inputs`, whose 400s name the question; the schema documents them.
    answers: Annotated[dict[str, Any], WithJsonSchema(_ANSWERS_SCHEMA)]
    context: Annotated[dict[str, Any] | None, WithJsonSchema(_CONTEXT_SCHEMA)] = None


class Recommendation(BaseModel):
    """What to deploy."""

    model_config = ConfigDict(extra="allow")

    kind: str
    title: str
    confidence: str


class Assessment(BaseModel):
    """A stored assessment."""

    model_config = ConfigDict(extra="allow")

    id: str
    object: str
    created_at: int
    answers: dict[str, int]
    context: dict[str, Any]
    recommendation: Recommendation
    config: str
    next_steps: list[dict[str, str]]
    evaluation: dict[str, Any]


class AssessmentSummary(BaseModel):
    """An assessment in a listing (without the config and the evaluation)."""

    model_config = ConfigDict(extra="allow")

    id: str
    object: str
    created_at: int
    recommendation: Recommendation


class AssessmentList(BaseModel):
    """A page of assessments, newest first."""

    object: str
    data: list[AssessmentSummary]
    has_more: bool
    first_id: str | None
    last_id: str | None


class Questions(BaseModel):
    """The checklist."""

    model_config = ConfigDict(extra="allow")

    object: str
    questions: list[dict[str, Any]] = Field(min_length=5, max_length=5)
    context: list[dict[str, Any]]


def _product(platform: PlatformDep) -> AdvisorProduct:
    return platform.product(NAME, AdvisorProduct)


@router.get("/questions", responses={200: {"model": Questions}})
async def questions(principal: PrincipalDep) -> Response:
    """The five checklist questions, each answered 1-5, and the optional context fields."""
    return JSONBytes(questions_document())


@router.post("/assessments", responses={200: {"model": Assessment}, **errors(400)})
async def create_assessment(
    body: AssessmentRequest, platform: PlatformDep, principal: PrincipalDep
) -> Response:
    """Score the answers and context; the recommendation, its reasoning, a tandem.toml,
    next steps and a proposed evaluation, stored for your tenant."""
    inputs = parse_inputs(body.answers, body.context)
    return JSONBytes(await _product(platform).store.create(principal.tenant, inputs))


@router.get("/assessments", responses={200: {"model": AssessmentList}})
async def list_assessments(
    platform: PlatformDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    after: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Your tenant's assessments, newest first."""
    data, more = await _product(platform).store.page(principal.tenant, limit, after)
    return JSONBytes(
        {
            "object": "list",
            "data": data,
            "has_more": more,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
        }
    )


@router.get("/assessments/{assessment_id}", responses={200: {"model": Assessment}, **errors(404)})
async def get_assessment(
    assessment_id: Annotated[str, Path(max_length=64)],
    platform: PlatformDep,
    principal: PrincipalDep,
) -> Response:
    """One of your tenant's assessments (another tenant's is a 404)."""
    return JSONBytes(await _product(platform).store.get(principal.tenant, assessment_id))
