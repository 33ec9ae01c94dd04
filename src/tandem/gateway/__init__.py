"""The core model path: auth context, quotas, safety, routing and the ledger, with no HTTP.

Surfaces (src/tandem/api/) frame what it returns for the wire; products call it directly.
"""

from tandem.gateway.service import CallContext, ModelService, OpenStream

__all__ = ["CallContext", "ModelService", "OpenStream"]
