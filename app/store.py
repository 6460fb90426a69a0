"""Open the archive named by the settings: migrate on first use, pick the backend."""
from __future__ import annotations

from app.config import Settings
from app.db import ensure_schema
from app.storage.sqlite import SqliteStore


def open_store(settings: Settings, *, read_only: bool = False) -> SqliteStore:
    engine = ensure_schema(settings.database_url)
    engine.dispose()
    max_bytes = settings.max_archive_mb * 1024 * 1024 if settings.max_archive_mb else None
    store = SqliteStore(settings.database_url, read_only=read_only, max_bytes=max_bytes)
    store.embedder_name = settings.embedder  # search by meaning (app/search/hybrid.py)
    return store
