"""POST /language/:analyze-text with kind PiiEntityRecognition, as Azure AI Language does it.

Entities carry Azure's category names, offsets and lengths, and a confidence score;
`redactedText` masks each entity with '*', as Azure's default redaction does. Offsets count
code points (`TextElement_v8`, the default, and `UnicodeCodePoint`) or UTF-16 units
(`Utf16CodeUnit`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from tandem.api.language.schemas import AZURE_CATEGORIES, AnalyzeTextBody
from tandem.api.model_routes import ApiVersion, require_api_version
from tandem.http.deps import PlatformDep, PrincipalDep
from tandem.http.openapi import errors, json_body
from tandem.http.responses import JSONBytes, parse_body
from tandem.safety.offload import require_length
from tandem.safety.pii import PIISpan
from tandem.wire import JSONObject

router = APIRouter(tags=["language"])

# Azure AI Language's synchronous limit per document.
DOCUMENT_MAX_CHARS = 5_120
MODEL_VERSION = "2023-04-01"


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def document_result(doc_id: str, text: str, spans: list[PIISpan], utf16: bool) -> JSONObject:
    """One document's entities and redacted text."""
    entities: list[JSONObject] = []
    masked = list(text)
    for span in spans:
        start, end = (
            (_utf16(text, span.start), _utf16(text, span.end)) if utf16 else (span.start, span.end)
        )
        entities.append(
            {
                "text": span.text,
                "category": AZURE_CATEGORIES[span.type],
                "offset": start,
                "length": end - start,
                "confidenceScore": span.score,
            }
        )
        masked[span.start : span.end] = "*" * (span.end - span.start)
    return {"redactedText": "".join(masked), "id": doc_id, "entities": entities, "warnings": []}


@router.post(
    "/language/:analyze-text", responses=errors(413), openapi_extra=json_body(AnalyzeTextBody)
)
async def analyze_text(
    request: Request, platform: PlatformDep, principal: PrincipalDep, api_version: ApiVersion = None
) -> Response:
    """PII entities per document, in Azure AI Language's shape."""
    require_api_version(api_version)
    body = await parse_body(request, AnalyzeTextBody)
    documents = body.analysis_input.documents
    for index, doc in enumerate(documents):
        require_length(len(doc.text), DOCUMENT_MAX_CHARS, f"analysisInput.documents[{index}].text")
    wanted = set(body.parameters.pii_categories or AZURE_CATEGORIES.values())
    types = tuple(t for t, name in AZURE_CATEGORIES.items() if name in wanted)
    detector = platform.safety.screener.pii
    utf16 = body.parameters.string_index_type == "Utf16CodeUnit"

    def detect() -> list[JSONObject]:
        return [
            document_result(d.id, d.text, detector.detect(d.text, types), utf16) for d in documents
        ]

    chars = sum(len(d.text) for d in documents)
    results = await platform.safety.offload.run(chars, detect)
    return JSONBytes(
        {
            "kind": "PiiEntityRecognitionResults",
            "results": {"documents": results, "errors": [], "modelVersion": MODEL_VERSION},
        }
    )
