"""/admin: analysts' corrections (aliases, merges, hidden and added tags), behind a token.

Off (404) unless NEWSARCHIVE_ADMIN_TOKEN is set. The token comes as ?token=, from the login
form (kept in an HttpOnly, SameSite=Strict cookie), and every POST form carries it again in a
hidden field, so another site cannot make a logged-in browser post a correction. The web app
reads the archive read-only; each correction opens its own read-write connection.
"""
from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from app.corrections import CorrectionError, add_alias, add_tag, hide_tag, list_corrections, merge_entities, remove_correction
from app.storage.sqlite import connect
from app.web.deps import StoreDep
from app.web.templating import templates

router = APIRouter(prefix="/admin", include_in_schema=False)
COOKIE = "newsarchive_admin"
Text = Annotated[str, Form()]
Token = Annotated[str, Form()]  # checked in _correct: a missing token is a 403, not a form error


def _check(request: Request, token: str | None, cookie: bool = True) -> str | None:
    """The valid token, None when none was given; 404 when the page is off, 403 when wrong."""
    expected = request.app.state.settings.admin_token
    if not expected:
        raise HTTPException(404, "The corrections admin page is off: set NEWSARCHIVE_ADMIN_TOKEN to turn it on.")
    token = token or (request.cookies.get(COOKIE) if cookie else None)
    if not token:
        return None
    if not hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8")):
        raise HTTPException(403, "Wrong admin token.")
    return token


def _page(request: Request, store, token: str | None, message: str = "", error: str = "", status: int = 200):
    items = []
    if token:
        c = connect(store.path, read_only=True)
        try:
            items = list_corrections(c)
        finally:
            c.close()
    context = {"token": token, "corrections": items, "message": message, "error": error}
    response = templates.TemplateResponse(request, "admin.html", context, status_code=status)
    if token and request.cookies.get(COOKIE) != token:
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/admin")
    return response


@router.get("")
def admin_page(request: Request, store: StoreDep, token: str | None = None):
    valid = _check(request, token)
    return _page(request, store, valid, status=200 if valid else 401)


@router.post("/login")
def admin_login(request: Request, store: StoreDep, token: Text):
    valid = _check(request, token, cookie=False)
    if not valid:
        return _page(request, store, None, status=401)
    response = RedirectResponse("/admin", status_code=303)
    response.set_cookie(COOKIE, valid, httponly=True, samesite="strict", path="/admin")
    return response


def _correct(request: Request, store, token: str, action: Callable, *args):
    """Run one correction on a read-write connection; its message (or error) shows on the page."""
    valid = _check(request, token, cookie=False)  # the form's own field: no posting on a cookie alone
    if not valid:
        raise HTTPException(403, "This form needs the admin token (open /admin and use its forms).")
    c = connect(store.path, read_only=False)
    try:
        return _page(request, store, valid, message=action(c, *args))
    except CorrectionError as exc:
        return _page(request, store, valid, error=str(exc), status=400)
    finally:
        c.close()


@router.post("/alias")
def admin_alias(request: Request, store: StoreDep, entity: Text, alias: Text, token: Token = ""):
    return _correct(request, store, token, add_alias, entity, alias)


@router.post("/merge")
def admin_merge(request: Request, store: StoreDep, from_id: Text, into_id: Text, token: Token = ""):
    return _correct(request, store, token, merge_entities, from_id, into_id)


@router.post("/hide")
def admin_hide(request: Request, store: StoreDep, article_id: Text, entity: Text, token: Token = ""):
    return _correct(request, store, token, hide_tag, article_id, entity)


@router.post("/add")
def admin_add(request: Request, store: StoreDep, article_id: Text, entity: Text,
              about: Annotated[bool, Form()] = False, token: Token = ""):
    return _correct(request, store, token, add_tag, article_id, entity, about)


@router.post("/undo")
def admin_undo(request: Request, store: StoreDep, ref: Text, token: Token = ""):
    return _correct(request, store, token, remove_correction, ref)
