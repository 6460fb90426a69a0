"""/saved: searches kept under a name, each with its new articles since last opened and its feed.

Reads go through the server's read-only connection; each write (save, open, delete) through its
own short read-write connection, as admin corrections do. Access: app/web/saved_access.py.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from app import saved as domain
from app.search.engine import describe_filters
from app.web import saved_access as access
from app.web.deps import StoreDep
from app.web.templating import templates

router = APIRouter(prefix="/saved", include_in_schema=False)
Text = Annotated[str, Form()]


@contextmanager
def _conn(store, write: bool):
    """A short connection: read-write for a save, an open or a delete, else read-only."""
    c = store.connect(read_only=False) if write else store.connect(read_only=True)
    try:
        yield c
    finally:
        c.close()


def _page(request: Request, store, *, draft: str | None = None, name: str = "", error: str = "", status: int = 200):
    sid = access.session(request)
    items = []
    if sid is not None:
        with _conn(store, write=False) as c:
            items = domain.with_new_counts(store, domain.saved_list(c))
    context = {"signed_in": sid is not None, "csrf": access.csrf_value(request, sid or ""), "items": items,
               "draft": draft, "draft_params": domain.params_of(draft) if draft is not None else None,
               "draft_filters": describe_filters(domain.params_of(draft)) if draft is not None else [],
               "name": name, "error": error, "deleted": request.query_params.get("deleted", "")[:200]}
    return templates.TemplateResponse(request, "saved.html", context, status_code=status if sid is not None else 401)


@router.get("")
def saved_page(request: Request, store: StoreDep):
    return _page(request, store)


@router.get("/new")
def saved_new(request: Request, store: StoreDep):
    """The save form for the search given in the query string (the "Save this search" link)."""
    return _page(request, store, draft=domain.canonical_query(request.url.query))


@router.post("/login")
def saved_login(request: Request, token: Text, then: Annotated[str, Form()] = "/saved"):
    return access.login(request, token, then if then.startswith("/saved") else "/saved")


@router.post("")
def saved_create(request: Request, store: StoreDep, name: Annotated[str, Form()] = "", query: Annotated[str, Form()] = "",
                 csrf: Annotated[str, Form()] = ""):
    access.check_write(request, csrf)
    try:
        with _conn(store, write=True) as c:
            made = domain.create(c, store, name, query)
    except domain.SavedError as exc:
        return _page(request, store, draft=domain.canonical_query(query), name=name[:domain.MAX_NAME], error=str(exc),
                     status=400)
    return RedirectResponse(f"/saved#saved-{made.id}", status_code=303)


@router.get("/{saved_id:id}")
def saved_open(request: Request, store: StoreDep, saved_id: int):
    """Open a saved search: what it holds now counts as seen; on to its results."""
    if access.session(request) is None:
        return _page(request, store)
    try:
        with _conn(store, write=True) as c:
            return RedirectResponse(domain.open_saved(c, store, saved_id), status_code=303)
    except domain.SavedError as exc:
        raise HTTPException(404, str(exc)) from None


@router.post("/{saved_id:id}/delete")
def saved_delete(request: Request, store: StoreDep, saved_id: int, csrf: Annotated[str, Form()] = ""):
    access.check_write(request, csrf)
    try:
        with _conn(store, write=True) as c:
            message = domain.delete(c, saved_id)
    except domain.SavedError as exc:
        raise HTTPException(404, str(exc)) from None
    return RedirectResponse(f"/saved?{urlencode({'deleted': message})}", status_code=303)
