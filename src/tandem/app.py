"""`create_app(settings)`: the ASGI application, built with no import-time state."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from tandem import __version__
from tandem.api.admin.governance import router as governance_router
from tandem.api.admin.router import router as admin_router
from tandem.api.azure.router import router as azure_router
from tandem.api.hosted import hosted_routers
from tandem.api.language.router import router as language_router
from tandem.api.openai.router import router as openai_router
from tandem.api.ops.router import router as ops_router
from tandem.api.safety.admin import router as safety_admin_router
from tandem.api.safety.router import router as safety_router
from tandem.config import Settings
from tandem.errors import InvalidRequestError, NotFoundError, TandemError
from tandem.http.bodies import request_error
from tandem.http.middleware import ErrorBoundary, RequestContextMiddleware, is_azure_path
from tandem.http.openapi import install_openapi
from tandem.http.responses import CLIENT_CLOSED_REQUEST, ClientDisconnectedError, JSONBytes
from tandem.platform import Platform


def create_app(settings: Settings, platform: Platform | None = None) -> FastAPI:
    """Build the application; models load in the background once it starts."""
    platform = platform or Platform.build(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await platform.start()
        freezer = asyncio.create_task(_freeze_after(platform))
        try:
            yield
        finally:
            freezer.cancel()
            await platform.stop()

    # No content type is read as JSON, as before FastAPI made that strict; other types are
    # refused with a 415 (`JSONRoute`).
    # `/docs` and `/redoc` are served by the console from vendored assets (no CDN).
    app = FastAPI(
        title="Tandem",
        version=__version__,
        lifespan=lifespan,
        strict_content_type=False,
        docs_url=None,
        redoc_url=None,
    )
    app.state.platform = platform
    app.add_middleware(ErrorBoundary)
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        metrics=platform.metrics,
    )
    _install_error_handlers(app)
    routers = (
        openai_router,
        azure_router,
        safety_router,
        language_router,
        admin_router,
        governance_router,
        safety_admin_router,
        ops_router,
    )
    product_routers = [r for product in platform.products.values() for r in product.routers()]
    for router in (*routers, *hosted_routers(), *product_routers):
        app.include_router(router)
    install_openapi(app)
    return app


# Collect young objects after this many more allocations than deallocations (Python's
# default is 700). Nearly everything a request makes is freed by reference counting as it
# ends, so at 700 the collector runs a thousand times per 6k requests at concurrency 64 and
# finds next to nothing: 1.0-1.5 s of event-loop CPU, pauses up to 29-47 ms
# (bench/gc_pauses.py). At 10,000: 0.2-0.3 s, pauses up to 14-23 ms. Far higher thresholds
# run rarer but longer pauses (50,000: 43-72 ms), each walking every young object alive.
GC_YOUNG_THRESHOLD = 10_000


async def _freeze_after(platform: Platform) -> None:
    """Exempt everything loaded at start from the cyclic GC, then collect rarely.

    Libraries and models leave ~200k long-lived objects; without this, each full collection
    walks them all and stalls the event loop for ~150 ms under load.
    """
    gc.freeze()
    await platform.wait_started()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


def _render(exc: TandemError, request: Request) -> Response:
    body = exc.azure_body() if is_azure_path(request.url.path) else exc.openai_body()
    return JSONBytes(body, status_code=exc.status_code, headers=exc.headers)


def _install_error_handlers(app: FastAPI) -> None:
    # Exceptions no handler takes end at `ErrorBoundary`, which renders and logs them once.
    async def tandem_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, TandemError)
        return _render(exc, request)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        error: TandemError
        if isinstance(exc.__cause__, TandemError):
            # FastAPI wraps whatever failed while the body was read (the size limit, say).
            error = exc.__cause__
        elif exc.status_code == 404:
            error = NotFoundError(f"no route for {request.method} {request.url.path}")
        else:
            error = InvalidRequestError(str(exc.detail))
            error.status_code = exc.status_code
        return _render(error, request)

    async def request_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return _render(request_error(exc.errors()), request)

    async def disconnected(request: Request, exc: Exception) -> Response:
        # Nobody is listening; the status is for the access log and metrics.
        return Response(status_code=CLIENT_CLOSED_REQUEST)

    app.add_exception_handler(TandemError, tandem_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, request_validation)
    app.add_exception_handler(ClientDisconnectedError, disconnected)
