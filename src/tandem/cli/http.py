"""Talking to a running server from the command line."""

from __future__ import annotations

from typing import Any, NoReturn

import httpx
import typer
from rich.console import Console


class _FriendlyTransport(httpx.HTTPTransport):
    """Turns a server that cannot be reached into one line naming the fix, not a traceback."""

    def __init__(self, server: str) -> None:
        super().__init__()
        self.server = server

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return super().handle_request(request)
        except httpx.ConnectError:
            _fail(
                f"cannot reach the server at {self.server}: start it with `tandem serve`, or "
                "point at it with --server / TANDEM_SERVER"
            )
        except httpx.TimeoutException:
            _fail(f"the server at {self.server} did not answer in time; is it overloaded?")
        except httpx.TransportError as exc:
            _fail(f"talking to {self.server} failed ({type(exc).__name__}); check --server")


def _fail(message: str) -> NoReturn:
    Console(stderr=True).print(f"[red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(1)


def connect(server: str, key: str | None, timeout: float = 600) -> httpx.Client:
    """An HTTP client for `server`, sending `key` as a bearer token when given."""
    headers = {"authorization": f"Bearer {key}"} if key else {}
    if not server.startswith(("http://", "https://")):
        _fail(f"--server must be a URL such as http://127.0.0.1:8000, not '{server}'")
    return httpx.Client(
        base_url=server.rstrip("/"),
        headers=headers,
        timeout=timeout,
        transport=_FriendlyTransport(server),
    )


_HINTS = {
    401: "pass a key with --api-key or TANDEM_API_KEY (admin commands: --admin-key / "
    "TANDEM_ADMIN_KEY)",
    403: "this needs a key with more rights: an admin key for your tenant, or a platform key "
    "(`tandem keys create --tenant NAME --platform`, run where the database is)",
    404: "check the id, and --server if the route itself is missing",
}


def checked(response: httpx.Response) -> Any:
    """The response's JSON; an error response is printed and exits with status 1."""
    if response.status_code >= 400:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = response.text
        hint = _HINTS.get(response.status_code)
        console = Console(stderr=True)
        console.print(f"[red]error {response.status_code}:[/] {message}", soft_wrap=True)
        if hint:
            console.print(f"[dim]hint: {hint}[/]", soft_wrap=True)
        raise typer.Exit(1)
    try:
        return response.json()
    except ValueError:
        _fail(
            f"the server answered {response.status_code} with something that is not JSON; "
            "is --server pointing at Tandem?"
        )
