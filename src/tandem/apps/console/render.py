"""Templates (Jinja2, autoescaped) and the headers every console page carries."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from tandem.apps.console.assets import TEMPLATES

# Console pages load scripts and styles from this server only; nothing inline runs.
PAGE_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def environment() -> Environment:
    """The console's template environment (HTML escaped everywhere, unknown names fail)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Renderer:
    """Renders a template into a response with the page headers."""

    def __init__(self) -> None:
        self.env = environment()

    def page(self, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """A whole page."""
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
