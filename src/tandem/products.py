"""Products: what plugs into the core, discovered through the `tandem.products` entry points.

A product is built from the platform's core (settings, database, controls, safety, deployments,
gateway) by a factory named in an entry point, exactly as a third-party package would register
its own:

    [project.entry-points."tandem.products"]
    evals = "tandem.apps.evals.product:build"

The factory takes the `Platform` and returns an object with the `Product` shape: a name, its
settings (a model of its own, read by `product_settings` from `TANDEM_<NAME>_*` variables and
the `[<name>]` table of tandem.toml), the routers it serves, and start-up/shutdown hooks. The
core services it needs it takes from the platform in its factory; another product it needs it
asks for with `platform.product(name, Type)`, which builds that one first. Route handlers reach
their product the same way. A product that fails to build is left out and logged; the core and
the other products still serve.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from fastapi import APIRouter
from pydantic import BaseModel, ValidationError
from pydantic_settings import BaseSettings

if TYPE_CHECKING:
    from tandem.config import Settings
    from tandem.platform import Platform

ENTRY_POINT_GROUP = "tandem.products"

log = logging.getLogger(__name__)


@runtime_checkable
class Product(Protocol):
    """What the core needs from a product."""

    name: str
    settings: BaseModel | None  # the product's own settings model, if it has settings

    def routers(self) -> Sequence[APIRouter]:
        """The HTTP routes the product serves (mounted as they are)."""
        ...

    async def start(self) -> None:
        """Called once the core has started (migrations run, controls up)."""
        ...

    async def stop(self) -> None:
        """Called before the core stops; release threads, files and tasks."""
        ...


ProductFactory = Callable[["Platform"], Product]


def installed_factories() -> dict[str, ProductFactory]:
    """Every product factory installed in this environment, by entry-point name."""
    factories: dict[str, ProductFactory] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            factories[ep.name] = ep.load()
        except Exception:
            log.exception("product entry point failed to load", extra={"product": ep.name})
    return factories


S = TypeVar("S", bound=BaseSettings)


def product_settings(settings: Settings, name: str, kind: type[S]) -> S:
    """A product's settings: its `TANDEM_<NAME>_*` variables over its table in tandem.toml
    (`settings.products[name]`) over its defaults; a bad value is a `ValueError` naming it."""
    from_env = kind()
    table = settings.products.get(name, {})
    try:
        return kind.model_validate(
            {**table, **from_env.model_dump(include=from_env.model_fields_set)}
        )
    except ValidationError as exc:
        raise ValueError(f"the [{name}] settings are not valid: {exc}") from exc
