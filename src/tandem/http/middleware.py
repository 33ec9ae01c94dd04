"""Pure-ASGI middleware: request id, body-size limit, access log and HTTP metrics, and the
one boundary that turns an unexpected exception into a 500."""

from __future__ import annotations

import logging
import re
import time
import uuid

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tandem.errors import InvalidRequestError, PayloadTooLargeError, TandemError
from tandem.logs import REQUEST_ID
from tandem.metrics import Metrics

log = logging.getLogger("tandem.access")
errors_log = logging.getLogger("tandem.errors")

_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def is_azure_path(path: str) -> bool:
    """Azure-shaped routes render errors in Azure's format."""
    return path.startswith(("/openai/", "/contentsafety/", "/language/"))


def render_error(exc: TandemError, path: str) -> bytes:
    """An error body in the format of the surface at `path`."""
    return orjson.dumps(exc.azure_body() if is_azure_path(path) else exc.openai_body())


class RequestContextMiddleware:
    """Tags each request with an id, enforces the body limit, logs and counts it."""

    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int, metrics: Metrics
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500
        header = (b"x-request-id", request_id.encode())

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        limit = self._limit_for(scope)
        try:
            declared = _content_length(scope)
            if declared is not None and declared > limit:
                await self._reject(scope, send_with_id, _too_large(limit))
                return
            if _has_nul(scope):
                await self._reject(scope, send_with_id, _nul_in_url())
                return
            await self.app(scope, self._limited(receive, limit), send_with_id)
        finally:
            self._account(scope, status, time.perf_counter() - started)
            REQUEST_ID.reset(token)

    def _limit_for(self, scope: Scope) -> int:
        # File uploads (multipart) get the upload limit; every other body the body limit.
        for name, value in scope["headers"]:
            if name == b"content-type" and value.startswith(b"multipart/form-data"):
                return self.max_upload_bytes
        return self.max_body_bytes

    def _limited(self, receive: Receive, limit: int) -> Receive:
        seen = 0

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _too_large(limit)
            return message

        return wrapped

    async def _reject(self, scope: Scope, send: Send, exc: TandemError) -> None:
        body = render_error(exc, scope["path"])
        await send(
            {
                "type": "http.response.start",
                "status": exc.status_code,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _account(self, scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None) or "unmatched"
        self.metrics.http_requests.labels(scope["method"], template, str(status)).inc()
        if not log.isEnabledFor(logging.INFO):
            return
        log.info(
            "request",
            extra={
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "ms": round(seconds * 1000, 2),
            },
        )


class ErrorBoundary:
    """Renders any exception no handler took as a 500 in the surface's shape, logged once.

    Starlette's own catch-all re-raises after answering, so the server logged each error a
    second time and dropped the keep-alive connection under the client's next request.
    Here the exception ends with the response: the connection stays usable.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            errors_log.exception(
                "unhandled error", extra={"method": scope["method"], "path": scope["path"]}
            )
            if started:
                # Half a response cannot be mended; the server closes the connection.
                return
            body = render_error(
                TandemError("The server had an error processing your request."), scope["path"]
            )
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})


def _too_large(limit: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(f"the request body exceeds the limit of {limit} bytes")


def _has_nul(scope: Scope) -> bool:
    # PostgreSQL cannot store (or even compare with) U+0000: refused at the door, as a 400.
    query: bytes = scope.get("query_string", b"")
    return "\x00" in scope["path"] or b"\x00" in query or b"%00" in query


def _nul_in_url() -> InvalidRequestError:
    return InvalidRequestError("the path and query must not contain NUL (U+0000) characters")


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate = str(value.decode("latin-1"))
            if _VALID_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
