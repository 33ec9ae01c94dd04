"""Talking to a running server from the command line."""

from __future__ import annotations

from typing import Annotated, Any, NoReturn

import httpx
import typer
from rich.console import Console
from rich.text import Text

ServerOpt = Annotated[
    str, typer.Option("--server", envvar="TANDEM_SERVER", help="Base URL of the server.")
]
KeyOpt = Annotated[
    str | None,
    typer.Option(
        "--api-key",
        "--admin-key",
        envvar=["TANDEM_API_KEY", "TANDEM_ADMIN_KEY"],
        help="API key (TANDEM_API_KEY, else TANDEM_ADMIN_KEY).",
    ),
]
AdminKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--admin-key",
        "--api-key",
        envvar=["TANDEM_ADMIN_KEY", "TANDEM_API_KEY"],
        help="A platform admin key (TANDEM_ADMIN_KEY, else TANDEM_API_KEY).",
    ),
]


class _FriendlyTransport(httpx.HTTPTransport):
    """Turns a server that cannot be reached into one line naming the fix, not a traceback."""

    def __init__(self, server: str) -> None:
        super().__init__()
        self.server = server

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return super().handle_request(request)
        except httpx.ConnectError as exc:
            if "SSL" in str(exc) or "TLS" in str(exc):
                fail(
                    f"the TLS handshake with {self.server} failed ({exc}); if the server "
                    "speaks plain HTTP, use --server http://..."
                )
            fail(
                f"cannot reach the server at {self.server}: start it with `tandem serve`, or "
                "point at it with --server / TANDEM_SERVER"
            )
        except httpx.TimeoutException:
            fail(f"the server at {self.server} did not answer in time; is it overloaded?")
        except httpx.TransportError as exc:
            fail(f"talking to {self.server} failed ({type(exc).__name__}); check --server")


def fail(message: str, label: str = "error") -> NoReturn:
    """Print one line on stderr and exit with status 1."""
    Console(stderr=True).print(Text.assemble((f"{label}:", "red"), " ", message), soft_wrap=True)
    raise typer.Exit(1)


def connect(server: str, key: str | None, timeout: float = 600) -> httpx.Client:
    """An HTTP client for `server`, sending `key` as a bearer token when given."""
    headers = {"authorization": f"Bearer {key}"} if key else {}
    if not server.startswith(("http://", "https://")):
        fail(f"--server must be a URL such as http://127.0.0.1:8000, not '{server}'")
    return httpx.Client(
        base_url=server.rstrip("/"),
        headers=headers,
        timeout=timeout,
        transport=_FriendlyTransport(server),
    )


_FIRST_KEY = "make one with `tandem keys create --tenant NAME --platform` where the database is"
_HINTS = {
    403: "this needs an admin key of your tenant or a platform key; " + _FIRST_KEY,
    404: "check the id, and --server if the route itself is missing",
}


def _hint(response: httpx.Response, message: str) -> str | None:
    if response.status_code == 404 and message.startswith("no route for"):
        return (
            "--server / TANDEM_SERVER is the server's base URL, such as http://127.0.0.1:8000, "
            "without /v1"
        )
    if response.status_code != 401:
        return _HINTS.get(response.status_code)
    if "authorization" not in response.request.headers:
        return "pass a key with --api-key or TANDEM_API_KEY; " + _FIRST_KEY
    return (
        "the key given (--api-key / TANDEM_API_KEY, else TANDEM_ADMIN_KEY) is unknown, revoked "
        "or expired; " + _FIRST_KEY
    )


def _server_of(response: httpx.Response) -> str:
    url = response.request.url
    return f"{url.scheme}://{url.netloc.decode()}"


def checked(response: httpx.Response) -> Any:
    """The response's JSON; an error response is one line (with the fix where there is one)
    on stderr and exit status 1."""
    if response.status_code >= 400:
        try:
            message = str(response.json()["error"]["message"])
        except (ValueError, KeyError, TypeError):
            fail(
                f"{_server_of(response)} answered {response.status_code} "
                f"{response.reason_phrase} to {response.request.url.path}, not as Tandem "
                "does: is --server / TANDEM_SERVER pointing at Tandem?"
            )
        hint = _hint(response, message)
        fail(message + (f" ({hint})" if hint else ""), f"error {response.status_code}")
    try:
        return response.json()
    except ValueError:
        fail(
            f"the server answered {response.status_code} with something that is not JSON; "
            "is --server pointing at Tandem?"
        )
