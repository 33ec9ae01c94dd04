"""Typed dependencies handed to route handlers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from tandem.platform import Platform


async def get_platform(request: Request) -> Platform:
    """The platform object built by `create_app`."""
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]
