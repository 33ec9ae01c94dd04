"""The advisor on a platform that installs only this product (others are built apart)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tandem.app import create_app
from tandem.apps.advisor.product import build
from tandem.backends.registry import BackendRegistry
from tandem.config import Settings
from tandem.platform import Platform

# Answer profiles that land on each kind of deployment (checked in test_scoring).
PROFILES: dict[str, tuple[dict[str, int], dict[str, Any]]] = {
    "embedded": (
        dict(
            cloud_scale=1,
            maturity_and_support=1,
            responsible_ai=2,
            azure_integration=1,
            rapid_evolution=1,
        ),
        {"expected_users": 10, "data_sensitivity": "internal", "monthly_budget_usd": 0},
    ),
    "vllm": (
        dict(
            cloud_scale=3,
            maturity_and_support=1,
            responsible_ai=3,
            azure_integration=1,
            rapid_evolution=2,
        ),
        {"requests_per_second": 40, "data_sensitivity": "regulated", "monthly_budget_usd": 10_000},
    ),
    "azure_openai": (
        dict(
            cloud_scale=5,
            maturity_and_support=5,
            responsible_ai=5,
            azure_integration=5,
            rapid_evolution=3,
        ),
        {"expected_users": 5_000, "data_sensitivity": "internal"},
    ),
    "openai": (
        dict(
            cloud_scale=5,
            maturity_and_support=3,
            responsible_ai=2,
            azure_integration=1,
            rapid_evolution=5,
        ),
        {"expected_users": 2_000, "data_sensitivity": "public"},
    ),
    "hybrid": (
        dict(
            cloud_scale=5,
            maturity_and_support=4,
            responsible_ai=3,
            azure_integration=1,
            rapid_evolution=4,
        ),
        {"requests_per_second": 20, "data_sensitivity": "confidential"},
    ),
}


@pytest.fixture
async def advisor_platform(
    settings: Settings, registry: BackendRegistry
) -> AsyncIterator[Platform]:
    """A started platform with the advisor as its only product."""
    platform = Platform.build(settings, registry, products={"advisor": build})
    await platform.start()
    yield platform
    await platform.stop()


@pytest.fixture
async def advisor(
    settings: Settings, advisor_platform: Platform
) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client of the app (open mode until a key is issued)."""
    app: FastAPI = create_app(settings, advisor_platform)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
