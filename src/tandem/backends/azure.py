"""Azure OpenAI upstream: same wire format, deployment in the path, key in `api-key`."""

from __future__ import annotations

import orjson
from pydantic import Field

from tandem.backends.openai_compat import OpenAICompatBackend, OpenAICompatOptions
from tandem.wire import JSONObject


class AzureOpenAIOptions(OpenAICompatOptions):
    """An Azure OpenAI resource and one of its deployments."""

    base_url: str = Field(description="the resource endpoint, https://NAME.openai.azure.com")
    deployment: str
    api_version: str = "2024-10-21"


class AzureOpenAIBackend(OpenAICompatBackend):
    """Proxies to a deployment of an Azure OpenAI resource."""

    Options = AzureOpenAIOptions
    options: AzureOpenAIOptions

    @property
    def label(self) -> str:
        return f"azure:{self.options.deployment}"

    def _native(self, body: JSONObject, model: str) -> bytes:
        # Azure's v1 Responses path names the deployment as the model.
        return orjson.dumps({**body, "model": self.options.deployment})

    def _auth_headers(self) -> dict[str, str]:
        key = self._api_key()
        return {"api-key": key} if key else {}

    def _url(self, operation: str) -> str:
        if operation == "responses":  # Azure's v1 path: the deployment is the body's model
            return f"{self._base_url()}/openai/v1/responses"
        return (
            f"{self._base_url()}/openai/deployments/{self.options.deployment}/{operation}"
            f"?api-version={self.options.api_version}"
        )
