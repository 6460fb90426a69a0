"""What may become a link, and how a value goes into one. Every template links through these.

Article URLs come from imported files, so they are hostile until shown otherwise: only http(s)
URLs are links (a `javascript:` or `data:` URL would run in our origin); anything else is text.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# What a browser drops before reading a scheme (WHATWG URL parsing): leading and trailing C0
# controls and spaces, and ASCII tab or newline anywhere ("java\tscript:" is "javascript:").
_EDGES = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
LINK_SCHEMES = ("http", "https")


def http_url(value: object) -> str | None:
    """The URL as a browser would read it when it is an http(s) URL with a host, else None."""
    if not isinstance(value, str):
        return None
    url = _TAB_OR_NEWLINE.sub("", value.strip(_EDGES))
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed [IPv6] host
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
        return None
    return url


def path_part(value: object) -> str:
    """A value as one percent-encoded path segment of our own URLs (`/tags/section:C%23`)."""
    return quote(str(value), safe=":@!$&'()*+,;=-._~")
