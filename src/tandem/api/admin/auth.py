"""Who may call /admin routes: the admin key, or loopback callers when none is set."""

from __future__ import annotations

import hmac
import ipaddress
from typing import Annotated

from fastapi import Depends, Request

from tandem.api.deps import PlatformDep
from tandem.errors import AuthenticationError, PermissionDeniedError


def presented_key(request: Request) -> str | None:
    """The key a client sent, as `Authorization: Bearer` or Azure's `api-key` header."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.headers.get("api-key") or None


async def require_admin(request: Request, platform: PlatformDep) -> None:
    """Admit admin callers; refuse everyone else with 401/403."""
    configured = platform.settings.admin_key
    if configured is None:
        host = request.client.host if request.client else ""
        if not _is_loopback(host):
            raise PermissionDeniedError(
                "admin routes are open to loopback callers only until TANDEM_ADMIN_KEY is set"
            )
        return
    key = presented_key(request)
    if key is None:
        raise AuthenticationError("an admin key is required for this route")
    if not hmac.compare_digest(key.encode(), configured.get_secret_value().encode()):
        raise AuthenticationError("the admin key is not valid")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in {"localhost", "testclient"}


AdminDep = Annotated[None, Depends(require_admin)]
