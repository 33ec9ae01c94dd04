"""Tenant-owned rows: another tenant's row is answered exactly like a missing one."""

from __future__ import annotations

from typing import Protocol, TypeVar

from tandem.errors import NotFoundError


class TenantRow(Protocol):
    """A row that belongs to one tenant."""

    tenant: str


R = TypeVar("R", bound=TenantRow)


def owned(row: R | None, tenant: str | None, what: str, ident: str, param: str) -> R:
    """`row` if it exists and belongs to `tenant` (None: any tenant), else a 404."""
    if row is None or (tenant is not None and row.tenant != tenant):
        raise NotFoundError(f"no {what} '{ident}'", param=param)
    return row
