"""Who may use /admin: the token rule, signed sessions, CSRF values, and a limit on wrong tokens.
One instance per app (create_app), so tests get their own.

The token is typed once; the browser then holds only a session id (never the token): a random
value with its expiry, signed with a key derived from the token. Every server process (``serve
--workers N``) checks it the same way without sharing memory, a new token ends every session, and
every form carries a value derived from the session, so neither a page that leaks its HTML nor a
stolen cookie gives away the token itself. Wrong tokens are counted per server process.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque

MIN_TOKEN = 16  # characters; a blank, one-space or short token does not turn the admin page on
SESSION_SECONDS = 8 * 3600  # a working day; then the token is asked again
WRONG_TRIES = 5  # wrong tokens per client address per WRONG_WINDOW seconds, then 429
WRONG_WINDOW = 60.0
MAX_CLIENTS = 10_000  # addresses remembered by the limiter (oldest forgotten first)


def token_state(token: str | None) -> tuple[str | None, str]:
    """(the usable token or None, a sentence for `serve` and the /admin page)."""
    if token is None:
        return None, "The corrections admin page is off: set NEWSARCHIVE_ADMIN_TOKEN to turn it on."
    token = token.strip()
    if not token:
        return None, (f"The corrections admin page is off because NEWSARCHIVE_ADMIN_TOKEN is blank:"
                      f" give it at least {MIN_TOKEN} characters.")
    if len(token) < MIN_TOKEN:
        return None, (f"The corrections admin page is off because the token is too short: NEWSARCHIVE_ADMIN_TOKEN has"
                      f" {len(token)} characters, it needs at least {MIN_TOKEN}.")
    return token, "The corrections admin page is on at /admin."


class AdminGate:
    def __init__(self, token: str | None, clock=time.time):
        self.token, self.state = token_state(token)
        self._clock = clock
        # Derived from the token: the same in every worker process; unknown to whoever lacks it.
        self._secret = (hmac.new(self.token.encode(), b"newsarchive admin sessions", hashlib.sha256).digest()
                        if self.token else secrets.token_bytes(32))
        self._wrong: OrderedDict[str, deque[float]] = OrderedDict()  # client -> times of wrong tokens
        self._lock = threading.Lock()  # routes run in a thread pool

    # -- the token ---------------------------------------------------------------------------
    def retry_after(self, client: str) -> int:
        """Seconds until this client may try a token again; 0 when it may now."""
        with self._lock:
            tries = self._recent(client)
            return int(tries[0] + WRONG_WINDOW - self._clock()) + 1 if len(tries) >= WRONG_TRIES else 0

    def check_token(self, client: str, token: str) -> bool:
        ok = self.token is not None and hmac.compare_digest(token.strip().encode(), self.token.encode())
        if not ok:
            with self._lock:
                self._recent(client).append(self._clock())
                self._wrong.move_to_end(client)
                while len(self._wrong) > MAX_CLIENTS:
                    self._wrong.popitem(last=False)
        return ok

    def _recent(self, client: str) -> deque[float]:
        tries = self._wrong.setdefault(client, deque())
        while tries and tries[0] <= self._clock() - WRONG_WINDOW:
            tries.popleft()
        return tries

    # -- sessions ----------------------------------------------------------------------------
    def open_session(self) -> str:
        nonce, expiry = secrets.token_urlsafe(24), int(self._clock() + SESSION_SECONDS)
        return f"{nonce}.{expiry}.{self._sign(f'{nonce}.{expiry}')}"

    def _sign(self, value: str) -> str:
        return hmac.new(self._secret, b"session:" + value.encode(), hashlib.sha256).hexdigest()[:40]

    def valid_session(self, sid: str | None) -> bool:
        if not sid or self.token is None or sid.count(".") != 2:
            return False
        nonce, expiry, signature = sid.split(".")
        if not hmac.compare_digest(signature.encode(), self._sign(f"{nonce}.{expiry}").encode()):
            return False
        return expiry.isascii() and expiry.isdigit() and int(expiry) > self._clock()

    def csrf(self, sid: str) -> str:
        return hmac.new(self._secret, sid.encode(), hashlib.sha256).hexdigest()

    def valid_csrf(self, sid: str | None, value: str) -> bool:
        return self.valid_session(sid) and hmac.compare_digest(self.csrf(sid).encode(), value.encode())


def token_login(request, gate: AdminGate, token: str, then: str, cookie: str, path: str):
    """A right token opens a session (cookie ``cookie``, sent back to ``path`` only) and goes to
    ``then``; wrong ones are counted per client address, and too many in a minute get a 429."""
    from fastapi import HTTPException
    from fastapi.responses import RedirectResponse

    client = request.client.host if request.client else "?"
    wait = gate.retry_after(client)
    if wait:
        raise HTTPException(429, f"{WRONG_TRIES} wrong admin tokens in a minute from this address: try again in {wait} s.",
                            headers={"Retry-After": str(wait)})
    if not gate.check_token(client, token):
        raise HTTPException(403, "Wrong admin token.")
    response = RedirectResponse(then, status_code=303)
    response.set_cookie(cookie, gate.open_session(), max_age=SESSION_SECONDS, httponly=True, samesite="strict", path=path)
    return response
