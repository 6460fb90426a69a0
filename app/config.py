"""Settings, read from NEWSARCHIVE_* environment variables (or passed in by tests and the CLI)."""
from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSARCHIVE_", extra="ignore")

    database_url: str = Field(
        "sqlite:///archive.db",
        description="SQLAlchemy URL of the archive database (NEWSARCHIVE_DATABASE_URL).",
    )
    page_size: int = Field(20, ge=1, le=200, description="Results per search page (NEWSARCHIVE_PAGE_SIZE).")
    admin_token: str | None = Field(
        None,
        description="Token that unlocks the corrections admin page (NEWSARCHIVE_ADMIN_TOKEN), at least 16 characters;"
        " unset, blank or shorter = admin page off.",
    )
    import_workers: int = Field(
        0,
        ge=0,
        le=32,
        description="Processes that clean, detect language and tag during import (NEWSARCHIVE_IMPORT_WORKERS); 0 = one per core.",
    )

    max_archive_mb: int | None = Field(
        None,
        ge=1,
        description="Imports stop, as on a full disk, before the archive file grows past this many MB"
                    " (NEWSARCHIVE_MAX_ARCHIVE_MB; on PostgreSQL the database's size, checked at each batch);"
                    " unset = no limit but the disk's.",
    )
    read_urls: str | None = Field(
        None,
        description="PostgreSQL streaming replicas the web side reads from, comma-separated postgresql:// URLs"
                    " (NEWSARCHIVE_READ_URLS); writes go to NEWSARCHIVE_DATABASE_URL. Unset = read the primary.",
    )
    pg_pool_size: int = Field(
        8, ge=1, le=200,
        description="PostgreSQL connections each `serve` worker process holds at most, lent to its threads one"
                    " statement at a time (NEWSARCHIVE_PG_POOL_SIZE); not with NEWSARCHIVE_READ_URLS.",
    )
    replica_max_lag: float = Field(
        30.0, ge=0,
        description="Seconds behind the primary past which a replica is skipped (NEWSARCHIVE_REPLICA_MAX_LAG).",
    )

    def read_url_list(self) -> list[str]:
        return [u.strip() for u in (self.read_urls or "").split(",") if u.strip()]

    embedder: str = Field(
        "e5-small",
        description="Model that embeds articles and queries for search by meaning (NEWSARCHIVE_EMBEDDER): e5-small"
                    " (multilingual-e5-small, 4-bit), use-m3 (multilingual Universal Sentence Encoder: less accurate,"
                    " 18x faster to embed), hashing (small deterministic test model, no meaning) or off (keyword"
                    " search only).",
    )

    vector_ann_min: int = Field(
        200_000, ge=0,
        description="Vectors from which a SQLite archive's search by meaning uses the approximate index saved"
                    " beside it (archive.db-vectors/, memory-mapped and shared by the server's processes) instead"
                    " of an exact in-memory matrix in each process (NEWSARCHIVE_VECTOR_ANN_MIN; 0: always).",
    )

    @classmethod
    def for_path(cls, db_path: str | None) -> "Settings":
        """Settings with ``--db PATH`` (or ``--db postgresql://...``) applied when given."""
        if db_path and "://" in db_path:
            return cls(database_url=db_path)
        if db_path:
            return cls(database_url=f"sqlite:///{db_path}")
        return cls()
