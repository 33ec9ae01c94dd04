"""Azure OpenAI's content-filter annotations and error, in their exact JSON shapes."""

from __future__ import annotations

from typing import Any

from tandem.errors import InvalidRequestError
from tandem.safety.categories import Category, severity_label

JSONObject = dict[str, Any]


def category_results(severities: dict[Category, int], filtered: set[Category]) -> JSONObject:
    """{"hate": {"filtered": false, "severity": "safe"}, ...} for the four categories."""
    return {
        c.value: {"filtered": c in filtered, "severity": severity_label(severities.get(c, 0))}
        for c in Category
    }


def detection(detected: bool, filtered: bool) -> JSONObject:
    """{"filtered": ..., "detected": ...} for shields and profanity."""
    return {"filtered": filtered, "detected": detected}


def blocklist_results(matches: list[tuple[str, str]], filtered: bool) -> JSONObject:
    """Azure's custom_blocklists entry."""
    return {
        "filtered": filtered,
        "details": [{"filtered": filtered, "id": name} for name, _ in matches],
    }


class ContentFilterError(InvalidRequestError):
    """A prompt blocked by policy: 400 code content_filter, with Azure's innererror."""

    code = "content_filter"
    azure_code = "content_filter"

    def __init__(self, results: JSONObject, what: str = "prompt") -> None:
        super().__init__(
            f"The response was filtered due to the {what} triggering Tandem's content "
            "management policy. Please modify your prompt and retry.",
            param="prompt",
            code="content_filter",
        )
        self.results = results

    def openai_body(self) -> JSONObject:
        body = super().openai_body()
        body["error"]["innererror"] = self._inner()
        return body

    def azure_body(self) -> JSONObject:
        body = super().azure_body()
        body["error"]["type"] = None
        body["error"]["innererror"] = self._inner()
        return body

    def _inner(self) -> JSONObject:
        return {"code": "ResponsibleAIPolicyViolation", "content_filter_result": self.results}
