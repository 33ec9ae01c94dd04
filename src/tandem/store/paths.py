"""Where a tenant's files live on disk.

Folders are named from a digest of the tenant's key, never from a sanitised form of its
name: two names that sanitise alike ("x y", "x_y") would share a folder, and a name like
".." would escape the root. The tenant key is immutable (it is the primary key every row
refers to), so the digest is a stable, collision-free id for the folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def tenant_id(tenant: str) -> str:
    """A fixed-length, filesystem-safe id for a tenant key."""
    return "t" + hashlib.sha256(tenant.encode("utf-8")).hexdigest()[:32]


def tenant_folder(root: Path, tenant: str) -> Path:
    """The tenant's folder under `root` (not created)."""
    return root / tenant_id(tenant)
