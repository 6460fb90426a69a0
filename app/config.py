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
                    " (NEWSARCHIVE_MAX_ARCHIVE_MB); unset = no limit but the disk's.",
    )

    embedder: str = Field(
        "use-m3",
        description="Model that embeds articles and queries for search by meaning (NEWSARCHIVE_EMBEDDER): use-m3"
                    " (multilingual Universal Sentence Encoder), hashing (small deterministic test model, no meaning)"
                    " or off (keyword search only).",
    )

    @classmethod
    def for_path(cls, db_path: str | None) -> "Settings":
        """Settings with ``--db PATH`` applied when given."""
        if db_path:
            return cls(database_url=f"sqlite:///{db_path}")
        return cls()
