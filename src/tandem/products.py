"""Products: what plugs into the core, discovered through the `tandem.products` entry points.

A product is built from the platform's core (settings, database, controls, safety, deployments,
gateway) by a factory named in an entry point, exactly as a third-party package would register
its own:

    [project.entry-points."tandem.products"]
    evals = "tandem.apps.evals.product:build"

The factory takes the `Platform` and returns an object with the `Product` shape: a name, the
routers it serves, and start-up/shutdown hooks. Route handlers reach their product through
`platform.product(name, Type)`. A product that fails to build is left out and logged; the
core and the other products still serve.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from fastapi import APIRouter

if TYPE_CHECKING:
    from tandem.platform import Platform

ENTRY_POINT_GROUP = "tandem.products"

log = logging.getLogger(__name__)


@runtime_checkable
class Product(Protocol):
    """What the core needs from a product."""

    name: str

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


def build_products(
    platform: Platform, factories: dict[str, ProductFactory] | None = None
) -> dict[str, Product]:
    """Build each product over the platform's core; one that fails is left out, logged."""
    built: dict[str, Product] = {}
    for name, factory in (installed_factories() if factories is None else factories).items():
        try:
            product = factory(platform)
        except Exception:
            log.exception("product failed to build", extra={"product": name})
            continue
        if not isinstance(product, Product):
            log.error("entry point is not a tandem Product", extra={"product": name})
            continue
        built[name] = product
    return built
