"""Talking to a running server from the command line."""

from __future__ import annotations

from typing import Any

import httpx
import typer
from rich.console import Console


def connect(server: str, key: str | None, timeout: float = 600) -> httpx.Client:
    """An HTTP client for `server`, sending `key` as a bearer token when given."""
    headers = {"authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=server.rstrip("/"), headers=headers, timeout=timeout)


def checked(response: httpx.Response) -> Any:
    """The response's JSON; an error response is printed and exits with status 1."""
    if response.status_code >= 400:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text
        Console(stderr=True).print(f"[red]error {response.status_code}:[/] {message}")
        raise typer.Exit(1)
    return response.json()
