"""Open the archive named by the settings: migrate on first use, pick the backend."""
from __future__ import annotations

import logging

from app.config import Settings
from sqlalchemy.exc import OperationalError

from app.db import ensure_schema, is_postgres
from app.storage.pg_conn import ConnectionFailed, redact
from app.storage.sqlite import SqliteStore

log = logging.getLogger("newsarchive")


def open_store(settings: Settings, *, read_only: bool = False) -> SqliteStore:
    replicas = settings.read_url_list() if read_only and is_postgres(settings.database_url) else []
    try:
        engine = ensure_schema(settings.database_url)
        engine.dispose()
    except OperationalError as exc:
        if not is_postgres(settings.database_url):
            raise
        reason = str(exc.orig).strip().splitlines()[0]
        if not replicas:
            raise ConnectionFailed(f"cannot use the PostgreSQL archive at {redact(settings.database_url)}: {reason}") from None
        # Reading only: the replicas can serve without the primary (its schema was migrated before).
        log.warning("newsarchive: the primary %s cannot be reached (%s): reading from the replicas only",
                    redact(settings.database_url), reason)
    max_bytes = settings.max_archive_mb * 1024 * 1024 if settings.max_archive_mb else None
    if is_postgres(settings.database_url):
        from app.storage.postgres import PgStore

        store = PgStore(settings.database_url, read_only=read_only, max_bytes=max_bytes, read_urls=replicas,
                        max_lag=settings.replica_max_lag)
        store.embedder_name = settings.embedder
        return store
    store = SqliteStore(settings.database_url, read_only=read_only, max_bytes=max_bytes)
    store.embedder_name = settings.embedder  # search by meaning (app/search/hybrid.py)
    store.ann_min = settings.vector_ann_min  # from this many vectors, the approximate index (app/search/ann.py)
    return store
