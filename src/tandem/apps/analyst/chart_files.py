"""Charts drawn for answers, kept as PNG files: in the data directory, or in shared files
when the platform runs on PostgreSQL (any replica serves a chart another one drew)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from tandem.errors import NotFoundError
from tandem.store.paths import tenant_folder
from tandem.store.shared_files import SharedFiles


class ChartFiles:
    """A tenant's rendered charts by id."""

    def __init__(self, root: Path, shared: SharedFiles | None = None) -> None:
        self.root = root
        self.shared = shared

    def save(self, tenant: str, png: bytes) -> str:
        """Keep a chart; its id."""
        chart_id = f"ch_{uuid.uuid4().hex[:16]}"
        if self.shared is not None:
            self.shared.put(tenant, f"charts/{chart_id}.png", png)
        else:
            folder = tenant_folder(self.root, tenant)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{chart_id}.png").write_bytes(png)
        return chart_id

    def read(self, tenant: str, chart_id: str) -> bytes:
        """A chart's PNG (404 for another tenant's or an unknown chart)."""
        if not re.fullmatch(r"ch_[0-9a-f]{16}", chart_id):
            raise NotFoundError(f"no chart '{chart_id}'")
        if self.shared is not None:
            data = self.shared.read(tenant, f"charts/{chart_id}.png")
        else:
            path = tenant_folder(self.root, tenant) / f"{chart_id}.png"
            data = path.read_bytes() if path.is_file() else None
        if data is None:
            raise NotFoundError(f"no chart '{chart_id}'")
        return data
