"""/docs and /redoc from vendored assets (they work offline), and the console's static files."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.responses import HTMLResponse, Response

from tandem.apps.console.product import NAME, ConsoleProduct
from tandem.errors import NotFoundError
from tandem.platform import Platform

router = APIRouter(include_in_schema=False)
STATIC = "/console/static"


def _product(request: Request) -> ConsoleProduct:
    platform: Platform = request.app.state.platform
    return platform.product(NAME, ConsoleProduct)


def _openapi_url(request: Request) -> str:
    return request.app.openapi_url or "/openapi.json"


@router.get("/docs")
async def swagger(request: Request) -> HTMLResponse:
    """Swagger UI, its script and styles served by Tandem."""
    return get_swagger_ui_html(
        openapi_url=_openapi_url(request),
        title="Tandem API",
        swagger_js_url=f"{STATIC}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{STATIC}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{STATIC}/swagger-ui/favicon-32x32.png",
        # The validator badge would call swagger.io.
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    """ReDoc, served by Tandem, with the system's fonts (no Google Fonts)."""
    return get_redoc_html(
        openapi_url=_openapi_url(request),
        title="Tandem API",
        redoc_js_url=f"{STATIC}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{STATIC}/swagger-ui/favicon-32x32.png",
        with_google_fonts=False,
    )


@router.get(STATIC + "/{path:path}")
async def static(path: str, request: Request) -> Response:
    """A vendored file listed in the manifest (nothing else on disk is reachable)."""
    asset = _product(request).assets.get(path)
    if asset is None:
        raise NotFoundError(f"no console asset '{path}'")
    headers = {
        "cache-control": "public, max-age=86400",
        "etag": f'"{asset.sha256[:32]}"',
        "x-content-type-options": "nosniff",
    }
    if request.headers.get("if-none-match") == headers["etag"]:
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)
