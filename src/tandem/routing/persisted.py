"""Deployments added at run time, kept in the data directory across restarts."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import TypeAdapter

from tandem.config import DeploymentConfig

_LIST = TypeAdapter(list[DeploymentConfig])


class PersistedDeployments:
    """A JSON file of deployment configs, rewritten atomically on each change."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> list[DeploymentConfig]:
        """The saved deployments (none if the file is absent)."""
        if not self.path.is_file():
            return []
        return _LIST.validate_json(self.path.read_bytes())

    def save(self, configs: list[DeploymentConfig]) -> None:
        """Replace the file with `configs`."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps([c.model_dump(mode="json") for c in configs], indent=2)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".deployments-")
        with os.fdopen(fd, "w") as handle:
            handle.write(payload)
        os.replace(tmp, self.path)
