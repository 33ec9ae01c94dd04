"""POST /contentsafety/text:analyze and :shieldPrompt (Azure AI Content Safety's API),
blocklist management under /contentsafety/text/blocklists, and POST /v1/moderations."""

from __future__ import annotations

import asyncio
import time
import uuid

from fastapi import APIRouter, Request
from starlette.responses import Response

from tandem.api.model_routes import ApiVersion, require_api_version
from tandem.api.safety.schemas import (
    AddItems,
    AnalyzeText,
    BlocklistBody,
    ModerationRequest,
    RemoveItems,
    ShieldPrompt,
)
from tandem.errors import InvalidRequestError
from tandem.http.deps import AdminDep, PlatformDep, PrincipalDep
from tandem.http.openapi import errors, json_body
from tandem.http.responses import JSONBytes, parse_body
from tandem.safety.blocklists import BlocklistMatch
from tandem.safety.categories import Category, four_levels
from tandem.safety.classifier import Analysis
from tandem.safety.offload import require_length
from tandem.store.models import Blocklist, BlocklistItem
from tandem.wire import JSONObject

router = APIRouter(tags=["content safety"])

MODERATION_MODEL = "tandem-moderation-1"
# Azure AI Content Safety's limits: 10k characters of text to analyze, 10k of user prompt
# and 10k over all documents to shield.
ANALYZE_MAX_CHARS = 10_000
SHIELD_MAX_CHARS = 10_000
# OpenAI publishes no character limit; this bounds one request to ~0.2 s of screening.
MODERATION_MAX_CHARS = 100_000


@router.post(
    "/contentsafety/text:analyze", responses=errors(404, 413), openapi_extra=json_body(AnalyzeText)
)
async def analyze(
    request: Request, platform: PlatformDep, principal: PrincipalDep, api_version: ApiVersion = None
) -> Response:
    """Severity per category, and blocklist matches."""
    require_api_version(api_version)
    body = await parse_body(request, AnalyzeText)
    require_length(len(body.text), ANALYZE_MAX_CHARS, "text")
    blocklists = platform.safety.blocklists
    for name in body.blocklist_names:
        await asyncio.to_thread(blocklists.get, principal.tenant, name)
    names = body.categories or ["Hate", "SelfHarm", "Sexual", "Violence"]
    categories = tuple(Category.from_azure(n) for n in names)

    def screen() -> tuple[list[BlocklistMatch], Analysis | None]:
        found = blocklists.match(
            principal.tenant,
            body.blocklist_names,
            body.text,
            first_only=body.halt_on_blocklist_hit,
        )
        if body.halt_on_blocklist_hit and found:
            return found, None
        return found, platform.safety.screener.classifier.analyze(body.text, categories)

    matches, analysis = await platform.safety.offload.run(len(body.text), screen)
    result: JSONObject = {
        "blocklistsMatch": [
            {
                "blocklistName": m.blocklist,
                "blocklistItemId": m.item_id,
                "blocklistItemText": m.text,
            }
            for m in matches
        ]
    }
    if analysis is None:
        result["categoriesAnalysis"] = []
        return JSONBytes(result)
    eight = body.output_type == "EightSeverityLevels"
    result["categoriesAnalysis"] = [
        {
            "category": c.azure_name,
            "severity": analysis.severities[c] if eight else four_levels(analysis.severities[c]),
        }
        for c in categories
    ]
    return JSONBytes(result)


@router.post(
    "/contentsafety/text:shieldPrompt", responses=errors(413), openapi_extra=json_body(ShieldPrompt)
)
async def shield_prompt(
    request: Request, platform: PlatformDep, principal: PrincipalDep, api_version: ApiVersion = None
) -> Response:
    """Attack detection in the user prompt and in each document."""
    require_api_version(api_version)
    body = await parse_body(request, ShieldPrompt)
    if not body.user_prompt and not body.documents:
        raise InvalidRequestError("give a userPrompt or documents", param="userPrompt")
    require_length(len(body.user_prompt), SHIELD_MAX_CHARS, "userPrompt")
    documents = sum(len(d) for d in body.documents)
    require_length(documents, SHIELD_MAX_CHARS, "documents", "'documents' (all together)")
    classifier = platform.safety.screener.classifier

    def shield() -> JSONObject:
        return {
            "userPromptAnalysis": {
                "attackDetected": bool(body.user_prompt)
                and classifier.jailbreak(body.user_prompt) is not None
            },
            "documentsAnalysis": [
                {"attackDetected": classifier.indirect_attack(d) is not None}
                for d in body.documents
            ],
        }

    chars = len(body.user_prompt) + documents
    return JSONBytes(await platform.safety.offload.run(chars, shield))


def _list_view(row: Blocklist) -> JSONObject:
    return {"blocklistName": row.name, "description": row.description}


def _item_view(row: BlocklistItem) -> JSONObject:
    return {
        "blocklistItemId": row.id,
        "text": row.text,
        "description": row.description,
        "isRegex": row.is_regex,
    }


@router.patch(
    "/contentsafety/text/blocklists/{name}",
    responses=errors(413),
    openapi_extra=json_body(BlocklistBody),
)
async def upsert_blocklist(
    name: str,
    request: Request,
    platform: PlatformDep,
    admin: AdminDep,
    api_version: ApiVersion = None,
) -> Response:
    """Create or update one of your tenant's blocklists."""
    require_api_version(api_version)
    body = await parse_body(request, BlocklistBody)
    row = await asyncio.to_thread(platform.safety.upsert_blocklist, admin, name, body.description)
    return JSONBytes(_list_view(row))


@router.get("/contentsafety/text/blocklists")
async def list_blocklists(
    platform: PlatformDep, principal: PrincipalDep, api_version: ApiVersion = None
) -> Response:
    """Your tenant's blocklists."""
    require_api_version(api_version)
    rows = await asyncio.to_thread(platform.safety.blocklists.lists, principal.tenant)
    return JSONBytes({"value": [_list_view(r) for r in rows]})


@router.get("/contentsafety/text/blocklists/{name}")
async def get_blocklist(
    name: str, platform: PlatformDep, principal: PrincipalDep, api_version: ApiVersion = None
) -> Response:
    """One blocklist."""
    require_api_version(api_version)
    row = await asyncio.to_thread(platform.safety.blocklists.get, principal.tenant, name)
    return JSONBytes(_list_view(row))


@router.delete("/contentsafety/text/blocklists/{name}", status_code=204)
async def delete_blocklist(
    name: str, platform: PlatformDep, admin: AdminDep, api_version: ApiVersion = None
) -> Response:
    """Delete a blocklist and its items."""
    require_api_version(api_version)
    await asyncio.to_thread(platform.safety.delete_blocklist, admin, name)
    return Response(status_code=204)


@router.post(
    "/contentsafety/text/blocklists/{name}:addOrUpdateBlocklistItems",
    responses=errors(413),
    openapi_extra=json_body(AddItems),
)
async def add_items(
    name: str,
    request: Request,
    platform: PlatformDep,
    admin: AdminDep,
    api_version: ApiVersion = None,
) -> Response:
    """Add terms or regular expressions to a blocklist."""
    require_api_version(api_version)
    body = await parse_body(request, AddItems)
    items = [(i.text, i.is_regex, i.description) for i in body.blocklist_items]
    rows = await asyncio.to_thread(platform.safety.add_blocklist_items, admin, name, items)
    return JSONBytes({"blocklistItems": [_item_view(r) for r in rows]})


@router.get("/contentsafety/text/blocklists/{name}/blocklistItems")
async def list_items(
    name: str, platform: PlatformDep, principal: PrincipalDep, api_version: ApiVersion = None
) -> Response:
    """Items of a blocklist."""
    require_api_version(api_version)
    rows = await asyncio.to_thread(platform.safety.blocklists.items, principal.tenant, name)
    return JSONBytes({"value": [_item_view(r) for r in rows]})


@router.post(
    "/contentsafety/text/blocklists/{name}:removeBlocklistItems",
    status_code=204,
    responses=errors(413),
    openapi_extra=json_body(RemoveItems),
)
async def remove_items(
    name: str,
    request: Request,
    platform: PlatformDep,
    admin: AdminDep,
    api_version: ApiVersion = None,
) -> Response:
    """Remove items by id."""
    require_api_version(api_version)
    body = await parse_body(request, RemoveItems)
    await asyncio.to_thread(
        platform.safety.remove_blocklist_items, admin, name, body.blocklist_item_ids
    )
    return Response(status_code=204)


_OPENAI_CATEGORIES = {
    "hate": Category.HATE,
    "hate/threatening": Category.HATE,
    "harassment": Category.HATE,
    "harassment/threatening": Category.VIOLENCE,
    "self-harm": Category.SELF_HARM,
    "self-harm/intent": Category.SELF_HARM,
    "self-harm/instructions": Category.SELF_HARM,
    "sexual": Category.SEXUAL,
    "sexual/minors": Category.SEXUAL,
    "violence": Category.VIOLENCE,
    "violence/graphic": Category.VIOLENCE,
}


@router.post(
    "/v1/moderations", responses=errors(400, 413), openapi_extra=json_body(ModerationRequest)
)
async def moderations(request: Request, platform: PlatformDep, principal: PrincipalDep) -> Response:
    """OpenAI's moderation endpoint on the built-in classifier."""
    body = await parse_body(request, ModerationRequest)
    inputs = [body.input] if isinstance(body.input, str) else body.input
    if not inputs or len(inputs) > 100:
        raise InvalidRequestError("input takes 1 to 100 strings", param="input")
    chars = sum(len(t) for t in inputs)
    require_length(chars, MODERATION_MAX_CHARS, "input", "'input' (all strings together)")
    classifier = platform.safety.screener.classifier
    analyses = await platform.safety.offload.run(
        chars, lambda: [classifier.analyze(t) for t in inputs]
    )
    results = []
    for analysis in analyses:
        scores = {
            name: round(analysis.severities[category] / 7, 4)
            for name, category in _OPENAI_CATEGORIES.items()
        }
        minors = analysis.severities[Category.SEXUAL] >= 7
        scores["sexual/minors"] = 1.0 if minors else 0.0
        flags = {name: score >= 4 / 7 for name, score in scores.items()}
        results.append(
            {"flagged": any(flags.values()), "categories": flags, "category_scores": scores}
        )
    model = body.model or MODERATION_MODEL
    identifier = f"modr-{uuid.uuid4().hex}"
    return JSONBytes(
        {"id": identifier, "model": model, "results": results, "created": int(time.time())}
    )
