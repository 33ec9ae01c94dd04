"""Typed dependencies handed to route handlers."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from tandem.gateway.service import CallContext
from tandem.governance.principal import Principal
from tandem.logs import REQUEST_ID
from tandem.platform import Platform


async def get_platform(request: Request) -> Platform:
    """The platform object built by `create_app`."""
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def presented_key(request: Request) -> str | None:
    """The key a client sent: `Authorization: Bearer`, Azure's `api-key` header, or
    `Ocp-Apim-Subscription-Key` (what the Azure AI Content Safety and Language SDKs send)."""
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    headers = request.headers
    return headers.get("api-key") or headers.get("ocp-apim-subscription-key") or None


# Declared for the OpenAPI spec (either scheme will do); `presented_key` reads them.
_BEARER = HTTPBearer(auto_error=False, description="`Authorization: Bearer <key>`")
_API_KEY = APIKeyHeader(name="api-key", auto_error=False, description="Azure's `api-key` header")


async def get_principal(
    request: Request,
    platform: PlatformDep,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
    _api_key: Annotated[str | None, Depends(_API_KEY)],
) -> Principal:
    """The authenticated caller (401 without a valid key, unless in open mode)."""
    host = request.client.host if request.client else None
    return await platform.controls.authenticate_request(presented_key(request), host)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_admin(principal: PrincipalDep) -> Principal:
    """An admin of its tenant (or of the platform)."""
    principal.require_admin()
    return principal


async def get_platform_admin(principal: PrincipalDep) -> Principal:
    """An administrator of the platform itself."""
    principal.require_platform()
    return principal


AdminDep = Annotated[Principal, Depends(get_admin)]
PlatformAdminDep = Annotated[Principal, Depends(get_platform_admin)]


async def get_call_context(principal: PrincipalDep) -> CallContext:
    """Caller and request id for a model call."""
    return CallContext(principal=principal, request_id=REQUEST_ID.get() or uuid.uuid4().hex)


CallContextDep = Annotated[CallContext, Depends(get_call_context)]
