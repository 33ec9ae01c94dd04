"""Where the model service used to live; it is the gateway now (`tandem.gateway`).

Kept so that code written against the old path keeps importing; new code imports
`tandem.gateway`.
"""

from tandem.gateway.service import (
    CallContext,
    ErrorBody,
    GenerationRequest,
    ModelRequest,
    ModelService,
    OpenStream,
    encode_embeddings,
)

__all__ = [
    "CallContext",
    "ErrorBody",
    "GenerationRequest",
    "ModelRequest",
    "ModelService",
    "OpenStream",
    "encode_embeddings",
]
