"""Fetch one URL politely: timeouts, at most 5 redirects, a size limit, retries with backoff.

Only transient failures are retried (5xx, 429, connection errors and timeouts); a 404 is an
answer, not an accident. Every failure is a ``FetchError`` whose ``reason`` is for a human.

Addresses that are not public (loopback, private, link-local, reserved...) are refused unless
``allow_private``: every address the host name resolves to is checked, before the first request
and before each redirect, so a public page cannot redirect the importer into the local network.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

__all__ = ["USER_AGENT", "MAX_BYTES", "Fetched", "FetchError", "Fetcher", "fetch"]

USER_AGENT = "newsarchive/0.1 (+https://github.com/newsarchive)"
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str  # media type only, lower case: "text/html"
    charset: str | None
    data: bytes


class FetchError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Fetcher:
    """One HTTP client reused for many URLs (a URL list, a feed's pages)."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        max_bytes: int = MAX_BYTES,
        tries: int = 3,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
        allow_private: bool = False,
    ) -> None:
        self.max_bytes = max_bytes
        self.tries = tries
        self.backoff = backoff
        self._sleep = sleep
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": USER_AGENT},
            transport=transport,
            event_hooks={"request": [] if allow_private else [_refuse_private]},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str) -> Fetched:
        for attempt in range(1, self.tries + 1):
            try:
                return self._once(url)
            except _Transient as exc:
                if attempt == self.tries:
                    raise FetchError(f"{exc.reason} (after {self.tries} tries)") from None
                self._sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _once(self, url: str) -> Fetched:
        try:
            if not httpx.URL(url).host:  # "http://://": no host to ask (httpx's cookie jar raises
                raise FetchError("invalid URL: no host")  # a bare ValueError on its response)
            with self._client.stream("GET", url) as response:
                if response.status_code in _RETRY_STATUSES:
                    raise _Transient(f"HTTP {response.status_code} {response.reason_phrase}")
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
                data = self._read_limited(response)
                media_type, charset = _content_type(response.headers.get("content-type", ""))
                return Fetched(str(response.url), response.status_code, media_type, charset, data)
        except httpx.TooManyRedirects:
            raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})") from None
        except httpx.TimeoutException:
            raise _Transient("timed out") from None
        except httpx.TransportError as exc:
            if isinstance(exc, httpx.UnsupportedProtocol):
                raise FetchError(f"not an http(s) URL: {exc}") from None
            raise _Transient(f"connection failed: {exc or type(exc).__name__}") from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL: {exc}") from None

    def _read_limited(self, response: httpx.Response) -> bytes:
        limit_mb = self.max_bytes / (1024 * 1024)
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"larger than the {limit_mb:g} MB limit ({int(declared):,} bytes)")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"larger than the {limit_mb:g} MB limit (stopped reading)")
            chunks.append(chunk)
        return b"".join(chunks)


def fetch(url: str, **options) -> Fetched:
    """Fetch one URL with a short-lived client; see ``Fetcher`` for the options."""
    with Fetcher(**options) as fetcher:
        return fetcher.fetch(url)


def _refuse_private(request: httpx.Request) -> None:
    """Called by httpx before every request, redirects included."""
    reason = private_reason(request.url.host, request.url.port or (443 if request.url.scheme == "https" else 80))
    if reason:
        raise FetchError(f"refused: {reason} (--allow-private fetches it)")


def private_reason(host: str, port: int) -> str | None:
    """Why ``host`` must not be fetched (one of its addresses is not public), or None."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from None
    for text in sorted(addresses):
        address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            if host.strip("[]") == text:
                return f"{address} is {_kind(address)} address"
            return f"{host} resolves to {address}, {_kind(address)} address"
    return None


def _kind(address) -> str:
    for name, kind in (("is_loopback", "a loopback"), ("is_link_local", "a link-local"), ("is_private", "a private"),
                       ("is_multicast", "a multicast")):
        if getattr(address, name):
            return kind
    return "a non-public"


class _Transient(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _content_type(header: str) -> tuple[str, str | None]:
    media_type, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower(), charset
