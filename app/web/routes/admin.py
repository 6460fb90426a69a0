"""/admin: analysts' corrections (aliases, merges, hidden and added tags), behind a token.

Off (404, saying why) unless NEWSARCHIVE_ADMIN_TOKEN has at least 16 characters. The token comes
once, from the login form or as ?token= (then a redirect takes it out of the address bar); the
browser keeps only a random session id (HttpOnly, SameSite=Strict cookie), and every POST form
carries a CSRF value derived from that session (app/web/admin_auth.py). Wrong tokens are limited
per client address (429). The web app reads the archive read-only; each correction opens its own
short read-write connection, the only writes the server makes.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from app.corrections import CorrectionError, add_alias, add_tag, hide_tag, list_corrections, merge_entities, remove_correction
from app.web.admin_auth import AdminGate, token_login
from app.web.deps import StoreDep
from app.web.templating import templates

router = APIRouter(prefix="/admin", include_in_schema=False)
COOKIE = "newsarchive_admin"
Text = Annotated[str, Form()]
Csrf = Annotated[str, Form()]  # checked in _correct: a missing value is a 403, not a form error


def _gate(request: Request) -> AdminGate:
    gate: AdminGate = request.app.state.admin
    if gate.token is None:
        raise HTTPException(404, gate.state)
    return gate


def _session(request: Request, gate: AdminGate) -> str | None:
    sid = request.cookies.get(COOKIE)
    return sid if gate.valid_session(sid) else None


def _login(request: Request, gate: AdminGate, token: str) -> RedirectResponse:
    """A right token opens a session and goes to /admin; wrong ones are counted per address."""
    return token_login(request, gate, token, "/admin", COOKIE, "/admin")


def _page(request: Request, store, gate: AdminGate, sid: str | None, message: str = "", error: str = "",
          status: int = 200):
    items = []
    if sid:
        c = store.connect(read_only=True)
        try:
            items = list_corrections(c)
        finally:
            c.close()
    context = {"signed_in": bool(sid), "csrf": gate.csrf(sid) if sid else "", "corrections": items,
               "message": message, "error": error}
    return templates.TemplateResponse(request, "admin.html", context, status_code=status)


@router.get("")
def admin_page(request: Request, store: StoreDep, token: str | None = None):
    gate = _gate(request)
    if token:  # ?token=...: sign in, then the redirect drops it from the address bar
        return _login(request, gate, token)
    sid = _session(request, gate)
    return _page(request, store, gate, sid, status=200 if sid else 401)


@router.post("/login")
def admin_login(request: Request, token: Text):
    return _login(request, _gate(request), token)


def _correct(request: Request, store, csrf: str, action: Callable, *args):
    """Run one correction on a read-write connection; its message (or error) shows on the page."""
    gate = _gate(request)
    sid = request.cookies.get(COOKIE)
    if not gate.valid_csrf(sid, csrf):  # the session cookie alone is not enough: the form's value too
        raise HTTPException(403, "This form needs an open admin session (open /admin, give the token, use its forms).")
    c = store.connect(read_only=False)
    try:
        return _page(request, store, gate, sid, message=action(c, *args))
    except CorrectionError as exc:
        return _page(request, store, gate, sid, error=str(exc), status=400)
    finally:
        c.close()


@router.post("/alias")
def admin_alias(request: Request, store: StoreDep, entity: Text, alias: Text, csrf: Csrf = ""):
    return _correct(request, store, csrf, add_alias, entity, alias)


@router.post("/merge")
def admin_merge(request: Request, store: StoreDep, from_id: Text, into_id: Text, csrf: Csrf = ""):
    return _correct(request, store, csrf, merge_entities, from_id, into_id)


@router.post("/hide")
def admin_hide(request: Request, store: StoreDep, article_id: Text, entity: Text, csrf: Csrf = ""):
    return _correct(request, store, csrf, hide_tag, article_id, entity)


@router.post("/add")
def admin_add(request: Request, store: StoreDep, article_id: Text, entity: Text,
              about: Annotated[bool, Form()] = False, csrf: Csrf = ""):
    return _correct(request, store, csrf, add_tag, article_id, entity, about)


@router.post("/undo")
def admin_undo(request: Request, store: StoreDep, ref: Text, csrf: Csrf = ""):
    return _correct(request, store, csrf, remove_correction, ref)
