"""Who may use /admin: the token rule, sessions held in server memory, CSRF values, and a limit
on wrong tokens. Pure Python state, one instance per app (create_app), so tests get their own.

The token is typed once; the browser then holds only a random session id (never the token), and
every form carries a value derived from that id, so neither a page that leaks its HTML nor a
stolen cookie gives away the token itself.
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
MAX_SESSIONS = 1000
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
    def __init__(self, token: str | None, clock=time.monotonic):
        self.token, self.state = token_state(token)
        self._clock = clock
        self._secret = secrets.token_bytes(32)  # per server start: CSRF values die with it
        self._sessions: OrderedDict[str, float] = OrderedDict()  # session id -> expiry
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
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[sid] = self._clock() + SESSION_SECONDS
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        return sid

    def valid_session(self, sid: str | None) -> bool:
        if not sid or self.token is None:
            return False
        with self._lock:
            expiry = self._sessions.get(sid)
            if expiry is not None and expiry <= self._clock():
                del self._sessions[sid]
                expiry = None
            return expiry is not None

    def csrf(self, sid: str) -> str:
        return hmac.new(self._secret, sid.encode(), hashlib.sha256).hexdigest()

    def valid_csrf(self, sid: str | None, value: str) -> bool:
        return self.valid_session(sid) and hmac.compare_digest(self.csrf(sid).encode(), value.encode())
