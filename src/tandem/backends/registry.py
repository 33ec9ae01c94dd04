"""Backend classes by name, discovered through the `tandem.backends` entry-point group.

Built-in backends are registered in pyproject.toml exactly as a third-party package
would register its own.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from tandem.backends.base import Backend, BackendContext
from tandem.errors import InvalidRequestError

ENTRY_POINT_GROUP = "tandem.backends"


class BackendRegistry:
    """Maps backend names to classes."""

    def __init__(self, classes: dict[str, type[Backend]] | None = None) -> None:
        self._classes: dict[str, type[Backend]] = dict(classes or {})

    @classmethod
    def from_entry_points(cls) -> BackendRegistry:
        """Every backend installed in this environment."""
        registry = cls()
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            loaded = ep.load()
            if not (isinstance(loaded, type) and issubclass(loaded, Backend)):
                raise TypeError(f"entry point '{ep.name}' ({ep.value}) is not a tandem Backend")
            registry.register(ep.name, loaded)
        return registry

    def register(self, name: str, backend_cls: type[Backend]) -> None:
        """Add or replace a backend class."""
        self._classes[name] = backend_cls

    def names(self) -> list[str]:
        """Known backend names."""
        return sorted(self._classes)

    def create(self, name: str, options: dict[str, Any], context: BackendContext) -> Backend:
        """Build backend `name` from its options (validated by the backend's Options)."""
        backend_cls = self._classes.get(name)
        if backend_cls is None:
            raise InvalidRequestError(
                f"unknown backend '{name}'; known: {', '.join(self.names())}", param="backend"
            )
        return backend_cls.create(options, context)
