"""Who may use /saved. No admin token set (a single-user archive): anyone who reaches the server,
with writes refused when the browser says they come from another site's page (its Origin or
Referer header names another host: a forged form). An admin token set: the token opens a session
(the admin page's AdminGate: signed, rate-limited, a CSRF value in every form) kept in a cookie
of /saved's own, so the corrections admin page's cookie is not widened to the whole site."""
from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse

from app.web.admin_auth import AdminGate, token_login

COOKIE = "newsarchive_saved"


def gate_of(request: Request) -> AdminGate:
    return request.app.state.admin


def session(request: Request) -> str | None:
    """The session id, '' when no token is set (open archive), None when one is needed."""
    gate = gate_of(request)
    if gate.token is None:
        return ""
    sid = request.cookies.get(COOKIE)
    return sid if gate.valid_session(sid) else None


def csrf_value(request: Request, sid: str) -> str:
    return gate_of(request).csrf(sid) if sid else ""


def check_write(request: Request, csrf: str) -> None:
    """403 unless this POST may change saved searches."""
    gate = gate_of(request)
    if gate.token is None:
        origin = request.headers.get("origin") or request.headers.get("referer")
        if origin and urlsplit(origin).netloc != request.url.netloc:
            raise HTTPException(403, "This form was sent from another site's page: saved searches are changed from /saved only.")
        return
    if not gate.valid_csrf(request.cookies.get(COOKIE), csrf):
        raise HTTPException(403, "Saving searches needs the admin token on this archive: open /saved and give it first.")


def login(request: Request, token: str, then: str) -> RedirectResponse:
    gate = gate_of(request)
    if gate.token is None:
        return RedirectResponse(then, status_code=303)
    return token_login(request, gate, token, then, COOKIE, "/saved")
