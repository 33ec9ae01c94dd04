"""Console pages: sign-in with an API key, sign-out, the home page and the keys page.

Every page looks up its server-side session; every POST carries the session's CSRF token.
What a page shows and allows follows the signed-in key's scope and tenant, through the same
`Principal` checks the API uses.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import JSONResponse, RedirectResponse, Response

from tandem.apps.console.product import NAME, ConsoleProduct
from tandem.apps.console.sessions import COOKIE, Session
from tandem.errors import NotFoundError, TandemError
from tandem.gateway.service import CallContext
from tandem.governance.keys import KeySpec
from tandem.governance.principal import Principal, Scope
from tandem.platform import Platform

router = APIRouter(include_in_schema=False)
MAX_FIELD = 256
P = TypeVar("P")


@dataclass
class Visit:
    """The request's console state: the product, the cookie's id and its session."""

    console: ConsoleProduct
    sid: str | None
    session: Session | None

    @property
    def principal(self) -> Principal | None:
        return self.session.principal if self.session is not None else None


def _console(request: Request) -> ConsoleProduct:
    platform: Platform = request.app.state.platform
    return platform.product(NAME, ConsoleProduct)


async def visit_of(request: Request) -> Visit:
    console = _console(request)
    sid = request.cookies.get(COOKIE)
    session = console.sessions.get(sid)
    principal = session.principal if session is not None else None
    if (
        principal is not None
        and principal.key_id is not None
        and not await asyncio.to_thread(_key_live, console.platform, principal.key_id)
    ):
        console.sessions.drop(sid)
        session = None
    return Visit(console, sid, session)


def _key_live(platform: Platform, key_id: str) -> bool:
    """Whether the key a session signed in with is still valid (revocation ends sessions)."""
    try:
        row = platform.controls.keys.get(key_id, None)
    except TandemError:
        return False
    if row.revoked_at is not None:
        return False
    expires = row.expires_at
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    return expires is None or expires > datetime.now(UTC)


def _set_cookie(request: Request, response: Response, sid: str) -> None:
    response.set_cookie(
        COOKIE,
        sid,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.url.scheme == "https",
    )


def render_page(visit: Visit, name: str, status_code: int = 200, **context: Any) -> Response:
    assert visit.session is not None
    flash, visit.session.flash = visit.session.flash, None
    return visit.console.renderer.page(
        name, status_code, csrf=visit.session.csrf, me=visit.principal, flash=flash, **context
    )


def signin_redirect() -> Response:
    return RedirectResponse("/console/signin", status_code=303)


async def form_of(request: Request, visit: Visit) -> FormData | Response:
    """The posted form if it carries this session's CSRF token, else a 403 page."""
    form = await request.form()
    token = form.get("csrf")
    if visit.session is None or not visit.session.csrf_ok(
        token if isinstance(token, str) else None
    ):
        return visit.console.renderer.page(
            "refused.html",
            403,
            csrf="",
            me=None,
            flash=None,
            reason="This form has expired or did not come from the console. Reload the page "
            "and try again.",
        )
    return form


def field_of(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip()[:MAX_FIELD] if isinstance(value, str) else ""


# -- what every handler checks first ----------------------------------------------------------


async def signed_in(request: Request, admin: bool = False) -> tuple[Visit, Principal] | Response:
    """The visit and its principal; otherwise the sign-in page (or, with `admin`, a refusal
    for a key that is not an admin's)."""
    visit = await visit_of(request)
    me = visit.principal
    if me is None:
        return signin_redirect()
    if admin and not me.is_admin:
        return refused(visit)
    return visit, me


async def posted(
    request: Request, admin: bool = False
) -> tuple[Visit, Principal, FormData] | Response:
    """`signed_in` for a POST: the form too, once its CSRF token is this session's (checked
    before the admin check, so a forged form learns nothing)."""
    visit = await visit_of(request)
    me = visit.principal
    if me is None:
        return signin_redirect()
    form = await form_of(request, visit)
    if isinstance(form, Response):
        return form
    if admin and not me.is_admin:
        return refused(visit)
    return visit, me, form


def redirect_with(visit: Visit, message: str, url: str) -> Response:
    """Back to `url` with `message` shown at the top of that page."""
    assert visit.session is not None
    visit.session.flash = message
    return RedirectResponse(url, status_code=303)


def upload_reply(request: Request, url: str) -> Response:
    """Where an upload leads: for the upload script (which follows its own progress) the
    page to go to as JSON, for a plain form a redirect."""
    if request.headers.get("x-console-upload") == "1":
        return JSONResponse({"next": url})
    return RedirectResponse(url, status_code=303)


def call_context(me: Principal) -> CallContext:
    """A model call made by the console for the signed-in key."""
    return CallContext(principal=me, request_id=f"console-{uuid.uuid4().hex}")


def installed(visit: Visit, name: str, kind: type[P]) -> P | None:
    """Another product the page uses, or None when it is not installed."""
    try:
        return visit.console.platform.product(name, kind)
    except NotFoundError:
        return None


@router.get("/")
async def root() -> Response:
    """The server's front door leads to the console."""
    return RedirectResponse("/console", status_code=307)


@router.get("/console")
async def home(request: Request) -> Response:
    """Who is signed in, and the deployments their key may use."""
    visit = await visit_of(request)
    me = visit.principal
    if me is None:
        return signin_redirect()
    platform = visit.console.platform
    deployments = [
        {"name": d.name, "ready": d.ready, "source": d.source}
        for d in platform.deployments
        if me.may_use(d.name)
    ]
    return render_page(visit, "home.html", deployments=deployments)


@router.get("/console/signin")
async def signin_form(request: Request) -> Response:
    """The sign-in form (a session is made first, so the form has a CSRF token)."""
    visit = await visit_of(request)
    if visit.principal is not None:
        return RedirectResponse("/console", status_code=303)
    sid = visit.sid
    if visit.session is None:
        sid, visit.session = visit.console.sessions.create()
    response = render_page(visit, "signin.html", error=None)
    assert sid is not None
    _set_cookie(request, response, sid)
    return response


@router.post("/console/signin")
async def signin(request: Request) -> Response:
    """Check the key; on success a fresh session replaces the sign-in one."""
    visit = await visit_of(request)
    form = await form_of(request, visit)
    if isinstance(form, Response):
        return form
    platform = visit.console.platform
    host = request.client.host if request.client else None
    try:
        principal = await asyncio.to_thread(
            platform.controls.authenticate, field_of(form, "key") or None, host
        )
    except TandemError:
        return render_page(visit, "signin.html", 401, error="That key was not accepted.")
    visit.console.sessions.drop(visit.sid)
    sid, _ = visit.console.sessions.create(principal)
    response = RedirectResponse("/console", status_code=303)
    _set_cookie(request, response, sid)
    return response


@router.post("/console/signout")
async def signout(request: Request) -> Response:
    """End the session and clear its cookie."""
    visit = await visit_of(request)
    form = await form_of(request, visit)
    if isinstance(form, Response):
        return form
    visit.console.sessions.drop(visit.sid)
    response = signin_redirect()
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


def refused(visit: Visit, reason: str = "This page needs an admin key.") -> Response:
    return render_page(visit, "refused.html", 403, reason=reason)


@router.get("/console/keys")
async def keys_page(request: Request) -> Response:
    """The keys of the admin's tenant (platform admins: every tenant)."""
    visit = await visit_of(request)
    me = visit.principal
    if me is None:
        return signin_redirect()
    if not me.is_admin:
        return refused(visit)
    return await _keys(visit, me, issued=None)


async def _keys(visit: Visit, me: Principal, issued: dict[str, str] | None) -> Response:
    rows = await asyncio.to_thread(
        visit.console.platform.controls.keys.list, me.tenant_filter(None)
    )
    scopes = ["user", "admin", "platform"] if me.is_platform else ["user", "admin"]
    return render_page(visit, "keys.html", keys=rows, scopes=scopes, issued=issued)


@router.post("/console/keys")
async def create_key(request: Request) -> Response:
    """Issue a key; its secret is on the page this answers with, and nowhere later."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, form = found
    scope = field_of(form, "scope") or "user"
    allowed: tuple[Scope, ...] = (
        ("user", "admin", "platform") if me.is_platform else ("user", "admin")
    )
    if scope not in allowed:
        return refused(visit)
    tenant = (
        (me.tenant_filter(field_of(form, "tenant") or None) or me.tenant)
        if me.is_platform
        else me.tenant
    )
    names = [d.strip() for d in field_of(form, "deployments").split(",") if d.strip()]
    assert visit.session is not None
    try:
        limits = _limits(form)
    except ValueError as exc:
        visit.session.flash = str(exc)
        return RedirectResponse("/console/keys", status_code=303)
    spec = KeySpec(
        tenant=tenant,
        project=field_of(form, "project") or "default",
        name=field_of(form, "name"),
        scope=scope,
        deployments=names or None,
        **limits,
    )
    controls = visit.console.platform.controls
    try:
        issued, _ = await asyncio.to_thread(controls.issue_key, me, spec, "console")
    except TandemError as exc:
        assert visit.session is not None
        visit.session.flash = exc.message
        return RedirectResponse("/console/keys", status_code=303)
    return await _keys(visit, me, issued={"id": issued.id, "secret": issued.secret})


def _limits(form: FormData) -> dict[str, Any]:
    """RPM, TPM, a monthly budget and an expiry date from the form; a bad one names itself."""
    limits: dict[str, Any] = {}
    for name, kind, label in (
        ("rpm", int, "Requests per minute"),
        ("tpm", int, "Tokens per minute"),
        ("budget_usd", float, "Monthly budget"),
    ):
        raw = field_of(form, name)
        if not raw:
            continue
        try:
            value = kind(raw)
        except ValueError:
            raise ValueError(f"{label} must be a number, not '{raw[:20]}'.") from None
        if value <= 0:
            raise ValueError(f"{label} must be above zero.")
        limits[name] = value
    raw = field_of(form, "expires")
    if raw:
        try:
            day = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise ValueError(
                f"Expiry must be a date such as 2027-01-31, not '{raw[:20]}'."
            ) from None
        if day <= datetime.now(UTC):
            raise ValueError("Expiry must be in the future.")
        limits["expires_at"] = day
    return limits


@router.post("/console/keys/{key_id}/rotate")
async def rotate_key(key_id: str, request: Request) -> Response:
    """Replace a key with a new secret and the same rights; the new secret is shown once."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, _ = found
    controls = visit.console.platform.controls
    assert visit.session is not None
    try:
        issued, _ = await asyncio.to_thread(
            controls.rotate_key, me, key_id[:64], me.tenant_filter(None)
        )
    except TandemError as exc:
        visit.session.flash = exc.message
        return RedirectResponse("/console/keys", status_code=303)
    visit.console.sessions.drop_key(key_id)
    return await _keys(visit, me, issued={"id": issued.id, "secret": issued.secret})


@router.post("/console/keys/{key_id}/revoke")
async def revoke_key(key_id: str, request: Request) -> Response:
    """Revoke a key of the admin's tenant; sessions signed in with it end."""
    found = await posted(request, admin=True)
    if isinstance(found, Response):
        return found
    visit, me, _ = found
    controls = visit.console.platform.controls
    assert visit.session is not None
    try:
        row = await asyncio.to_thread(
            controls.revoke_key, me, key_id[:64], me.tenant_filter(None), "console"
        )
    except TandemError as exc:
        visit.session.flash = exc.message
        return RedirectResponse("/console/keys", status_code=303)
    visit.console.sessions.drop_key(key_id)
    visit.session.flash = f"Key {row.name or row.id} revoked."
    return RedirectResponse("/console/keys", status_code=303)
