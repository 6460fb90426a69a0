"""Source-provided tags (Reuters' `place:usa`, a feed's `section:World`) in one canonical form.

Filters, links and query words lowercase what they are given, so a tag stored as `section:World`
could be counted in a facet and never reached. Every tag is normalised once, here: at import
(app/storage/sqlite.py), for the tags of older archives (migration 0005), and for the tags a
URL or a query names (app/search/params.py, app/search/engine.py), so all of them meet.
"""
from __future__ import annotations

import unicodedata

MAX_TAG = 200  # characters: a category is a few words; longer is a pasted paragraph


def normalise_tag(tag: str) -> str:
    """`  Section : Middle  East/Africa ` -> `section:middle east/africa`; "" when nothing is left.

    NFKC (full-width and compatibility forms read as their plain letters), controls as spaces,
    runs of spaces as one, lowercase, no space around the first colon (the kind: `section`,
    `place`, `org`). `/`, `#`, `?` and the rest stay: links percent-encode them.
    """
    text = unicodedata.normalize("NFKC", str(tag))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split()).lower()
    kind, colon, value = text.partition(":")
    if colon:
        kind, value = kind.strip(), value.strip()
        if not value:
            return ""
        text = f"{kind}:{value}"
    return text[:MAX_TAG].rstrip()
