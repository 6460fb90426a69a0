"""Open the archive named by the settings: migrate on first use, pick the backend."""
from __future__ import annotations

from app.config import Settings
from sqlalchemy.exc import OperationalError

from app.db import ensure_schema, is_postgres
from app.storage.pg_conn import ConnectionFailed, redact
from app.storage.sqlite import SqliteStore


def open_store(settings: Settings, *, read_only: bool = False) -> SqliteStore:
    try:
        engine = ensure_schema(settings.database_url)
    except OperationalError as exc:
        if not is_postgres(settings.database_url):
            raise
        raise ConnectionFailed(f"cannot use the PostgreSQL archive at {redact(settings.database_url)}:"
                               f" {str(exc.orig).strip().splitlines()[0]}") from None
    engine.dispose()
    if is_postgres(settings.database_url):
        from app.storage.postgres import PgStore

        return PgStore(settings.database_url, read_only=read_only)
    max_bytes = settings.max_archive_mb * 1024 * 1024 if settings.max_archive_mb else None
    return SqliteStore(settings.database_url, read_only=read_only, max_bytes=max_bytes)
