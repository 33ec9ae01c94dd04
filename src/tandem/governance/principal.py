"""Who is calling: the tenant, project and key behind a request, and what they may do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tandem.errors import DeploymentNotFoundError, PermissionDeniedError

Scope = Literal["user", "admin", "platform"]
PLATFORM_TENANT = "system"


@dataclass(frozen=True)
class Principal:
    """The caller as every feature sees it; tenant isolation starts here."""

    tenant: str
    project: str
    key_id: str | None
    scope: Scope
    deployments: frozenset[str] | None = None
    rpm: int | None = None
    tpm: int | None = None
    budget_usd: float | None = None
    budget_tokens: int | None = None

    @property
    def is_admin(self) -> bool:
        """Administers its tenant (or, as platform admin, every tenant)."""
        return self.scope in ("admin", "platform")

    @property
    def is_platform(self) -> bool:
        """Administers the platform itself (deployments, every tenant)."""
        return self.scope == "platform"

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return f"key:{self.key_id}" if self.key_id else f"{self.scope}:{self.tenant}"

    def may_use(self, deployment: str) -> bool:
        """Whether this key may call `deployment`."""
        return self.deployments is None or deployment in self.deployments

    def require_deployment(self, deployment: str) -> None:
        """Refuse a deployment outside the key's allow-list (as a 404: no existence leak)."""
        if not self.may_use(deployment):
            raise DeploymentNotFoundError(
                f"The model '{deployment}' does not exist or you do not have access to it.",
                param="model",
            )

    def require_admin(self) -> None:
        """Refuse callers without an admin scope."""
        if not self.is_admin:
            raise PermissionDeniedError("this route needs an admin key")

    def require_platform(self) -> None:
        """Refuse callers who are not platform administrators."""
        if not self.is_platform:
            raise PermissionDeniedError("this route needs a platform admin key")

    def tenant_filter(self, requested: str | None) -> str | None:
        """The tenant a query may cover: own tenant, or any (None) for platform admins."""
        if self.is_platform:
            return requested
        if requested is not None and requested != self.tenant:
            raise PermissionDeniedError("keys can only see their own tenant")
        return self.tenant


def open_principal() -> Principal:
    """The caller when authentication is off (local development)."""
    return Principal(tenant="default", project="default", key_id=None, scope="platform")


def platform_principal() -> Principal:
    """The static platform admin (TANDEM_ADMIN_KEY or the command line)."""
    return Principal(tenant=PLATFORM_TENANT, project="default", key_id=None, scope="platform")
