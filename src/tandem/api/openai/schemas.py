"""Response shapes specific to the OpenAI surface (requests live in tandem.wire)."""

from __future__ import annotations

from tandem.routing.deployments import Deployment
from tandem.wire import JSONObject

CREATED = 1_700_000_000


def model_card(deployment: Deployment) -> JSONObject:
    """A deployment as an OpenAI `model` object."""
    return {
        "id": deployment.name,
        "object": "model",
        "created": CREATED,
        "owned_by": "tandem",
        "backends": [t.backend.label for t in deployment.targets],
        "ready": deployment.ready,
    }
