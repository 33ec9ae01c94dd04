"""A batch's input file read into lines: each is a request to run or, when it is
malformed, an error recorded for it alone (per-line errors never fail the batch)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from tandem.errors import InvalidRequestError

ENDPOINTS = ("/v1/chat/completions", "/v1/embeddings", "/v1/responses", "/v1/completions")
MAX_CUSTOM_ID = 512


@dataclass(frozen=True)
class LineSpec:
    """One line: its request (`url` and `body`), or why it cannot run."""

    line: int
    custom_id: str
    body: dict[str, Any] | None
    error: dict[str, Any] | None = None


def parse_lines(data: bytes, max_lines: int) -> list[LineSpec]:
    """The lines of a JSONL batch input (blank lines skipped)."""
    raw_lines = [line for line in data.splitlines() if line.strip()]
    if not raw_lines:
        raise InvalidRequestError("the input file has no requests", param="input_file_id")
    if len(raw_lines) > max_lines:
        raise InvalidRequestError(
            f"the input file has {len(raw_lines)} requests; a batch takes at most {max_lines}",
            param="input_file_id",
        )
    seen: set[str] = set()
    return [_line(n + 1, raw, seen) for n, raw in enumerate(raw_lines)]


def _line(number: int, raw: bytes, seen: set[str]) -> LineSpec:
    fallback = f"line-{number}"
    try:
        request = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return _bad(number, fallback, "invalid_json", f"line {number} is not valid JSON: {exc}")
    if not isinstance(request, dict):
        return _bad(number, fallback, "invalid_request", f"line {number} is not a JSON object")
    custom_id = request.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id or len(custom_id) > MAX_CUSTOM_ID:
        return _bad(number, fallback, "missing_custom_id", "custom_id must be a string of 1-512")
    if "\x00" in custom_id:
        return _bad(number, fallback, "invalid_request", "custom_id must not contain NUL")
    if custom_id in seen:
        return _bad(number, custom_id, "duplicate_custom_id", f"custom_id '{custom_id}' repeats")
    seen.add(custom_id)
    extra = set(request) - {"custom_id", "method", "url", "body"}
    if extra:
        return _bad(number, custom_id, "invalid_request", f"unknown fields: {sorted(extra)}")
    if request.get("method", "POST") != "POST":
        return _bad(number, custom_id, "invalid_method", "method must be POST")
    url = request.get("url")
    if url not in ENDPOINTS:
        return _bad(
            number,
            custom_id,
            "invalid_url",
            f"url {str(url)[:100]!r} is not supported: batches run {', '.join(ENDPOINTS)}",
        )
    body = request.get("body")
    if not isinstance(body, dict):
        return _bad(number, custom_id, "invalid_request", "body must be a JSON object")
    if "\x00" in raw.decode("utf-8", "replace") or b"\\u0000" in raw:
        return _bad(number, custom_id, "invalid_request", "strings must not contain NUL")
    # Lines may name any supported endpoint, not only the batch's: one file can hold chat
    # and embedding requests (OpenAI's own batches take one endpoint per file).
    return LineSpec(number, custom_id, {"url": url, "body": body})


def _bad(number: int, custom_id: str, code: str, message: str) -> LineSpec:
    return LineSpec(number, custom_id, None, {"code": code, "message": message, "line": number})
