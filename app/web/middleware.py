"""What every response gets, whatever route answered: security headers, HEAD answered like GET,
and a 414 page for an address too long to be a real link.

A pure ASGI middleware (not BaseHTTPMiddleware): it only rewrites the response's start message
and, for HEAD, drops the body, so streamed responses stay streamed.
"""
from __future__ import annotations

from html import escape

# Path plus query string, in bytes as sent. Our own links stay far below (queries are cut to
# MAX_QUERY characters); above it the answer is 414. `newsarchive serve` lets uvicorn read
# request heads up to H11_MAX_HEAD so that such a URL gets this page instead of a reset.
MAX_URL_BYTES = 32 * 1024
H11_MAX_HEAD = 1024 * 1024

# Pages work without JavaScript (one script file of ours, static/keys.js, adds the "/" shortcut)
# and use only our own stylesheets: no inline script or style, nothing loaded from elsewhere,
# no framing, forms post only to us.
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none';"
            " base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# /docs (Swagger UI, served from the swagger-ui-bundle-v2 package: app/web/docs.py): its script
# files are ours, started by a file (no inline script); Swagger UI's React code sets inline
# styles and draws small images as data: URLs, so those two are allowed there and only there.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS_PATHS = ("/docs",)


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    docs = path in DOCS_PATHS or path.startswith("/docs/")
    headers = [
        (b"content-security-policy", (DOCS_CSP if docs else PAGE_CSP).encode()),
        (b"x-content-type-options", b"nosniff"),
        # Queries in our URLs are analysts' business: never sent to another site. Same-origin requests
        # keep theirs, and their Origin header (with no-referrer a form's POST says "Origin: null",
        # which the saved-search forms must refuse as a possible forgery).
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if path == "/admin" or path.startswith("/admin/"):
        headers.append((b"cache-control", b"no-store"))  # corrections pages: nothing kept by a cache
    return headers


class HardeningMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        head = scope["method"] == "HEAD"
        extra = security_headers(scope["path"])
        ours = {name for name, _ in extra}

        async def send_hardened(message):
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in ours]
                message = {**message, "headers": kept + extra}
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}  # same status and headers as GET, no body
            await send(message)

        if url_bytes(scope) > MAX_URL_BYTES:
            return await too_long(scope, send_hardened)
        if head:  # our routes are GET routes; HEAD is GET without the body
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, send_hardened)


def url_bytes(scope) -> int:
    return len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string") or b"")


async def too_long(scope, send) -> None:
    limit = f"{MAX_URL_BYTES // 1024} KB"
    if scope["path"].startswith("/api/"):
        body, kind = f'{{"detail": "The address is longer than {limit}."}}'.encode(), b"application/json"
    else:
        body = (f"<!doctype html><html lang=en><meta charset=utf-8><title>414 · newsarchive</title>"
                f"<link rel=stylesheet href=/static/style.css><main><h1>This address is too long</h1>"
                f"<p>{escape(limit)} at most (path and query). Shorten the query, or search for fewer words.</p>"
                f'<p><a href="/">Back to the archive</a></p></main>').encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 414,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
