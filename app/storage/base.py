"""The storage interface routes, the importer and the CLI talk to.

SQLite (``app.storage.sqlite``) is the embedded implementation; a PostgreSQL backend
implements the same two protocols (tsvector for full text) without touching callers.
"""
from __future__ import annotations

from typing import Protocol

from app.ingest.prepare import PreparedArticle
from app.search.params import SearchParams
from app.storage.views import ArchiveStats, ArticleView, ImportLine, SearchResults


class ImportWriter(Protocol):
    run_id: int

    def add(self, article: PreparedArticle) -> ImportLine: ...

    def reject(self, origin: str, reason: str) -> ImportLine: ...

    def checkpoint(self) -> None:
        """Make everything added so far durable (one transaction per batch of articles)."""


class ArchiveStore(Protocol):
    def writer(self, paths: list[str]):  # context manager yielding an ImportWriter
        ...

    def search(self, params: SearchParams) -> SearchResults: ...

    def article(self, article_id: int) -> ArticleView | None: ...

    def entity_counts(self, about: bool = False) -> list[tuple[str, int]]: ...

    def stats(self) -> ArchiveStats: ...

    def imports(self, limit: int = 50) -> list[dict]: ...

    def rebuild_fts(self) -> int: ...
