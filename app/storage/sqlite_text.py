"""Article text stored zlib-compressed (the body and the original text: migrations 0007, 0009).

Reads go through the SQL function ``unz(blob)`` that ``connect`` registers on every connection,
so queries stay one statement (``SELECT unz(body) ...``); the import's workers compress
(app/ingest/prepare.py).
"""
from __future__ import annotations

import sqlite3
import zlib


def unz(blob: bytes | str | None) -> str | None:
    """Text from its stored form (None stays None; text stored plain is returned as it is)."""
    if blob is None or isinstance(blob, str):
        return blob
    return zlib.decompress(blob).decode("utf-8")


def register(conn: sqlite3.Connection) -> None:
    conn.create_function("unz", 1, unz, deterministic=True)
