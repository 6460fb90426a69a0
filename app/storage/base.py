"""The storage interface routes, the importer and the CLI talk to.

SQLite (``app.storage.sqlite``) is the embedded implementation; PostgreSQL
(``app.storage.postgres``) implements the same two protocols (tsvector for full text).
"""
from __future__ import annotations

from typing import Protocol

import numpy as np

from app.ingest.prepare import PreparedArticle
from app.search.docindex import DocIndex
from app.search.params import SearchParams
from app.storage.views import ArchiveStats, ArticleView, ImportLine, SearchResults


class DiskFull(RuntimeError):
    """The archive could not grow (disk full, or the NEWSARCHIVE_MAX_ARCHIVE_MB limit): the open
    batch is rolled back; every batch committed before it stays, so the same import resumes."""

    def __init__(self, path: str, kept: int, run_id: int, cause: str):
        super().__init__(cause)
        self.path, self.kept, self.run_id = path, kept, run_id



class ConnectionLost(RuntimeError):
    """The archive's database server went away in the middle of an import (restarted, network
    cut): the open batch is rolled back by the server, the committed ones stay."""


class ImportWriter(Protocol):
    run_id: int

    def add(self, article: PreparedArticle) -> ImportLine: ...

    def add_many(self, articles: list[PreparedArticle]) -> list[ImportLine]:
        """add() of each, an article that cannot be stored rejected alone (PostgreSQL: together)."""

    def reject(self, origin: str, reason: str) -> ImportLine: ...

    def checkpoint(self) -> None:
        """Make everything added so far durable (one transaction per batch of articles)."""


class ArchiveStore(Protocol):
    def writer(self, paths: list[str]):  # context manager yielding an ImportWriter
        ...

    def connect(self, *, read_only: bool):
        """A connection of its own with sqlite3's API (corrections, retag, copy); the caller closes it."""
        ...

    def search(self, params: SearchParams) -> SearchResults: ...

    def article(self, article_id: int) -> ArticleView | None: ...

    def version(self, article_id: int, number: int) -> dict | None: ...

    # What app/search/engine.py needs from a backend: full-text matches, scores and pages
    # (the expression comes from app/search/fts5.py; a PostgreSQL backend compiles the same
    # tree to tsquery), the in-memory DocIndex, rows for a page of hits, and the vocabulary.
    def match_ids(self, match: str) -> np.ndarray: ...

    def scored(self, match: str) -> tuple[np.ndarray, np.ndarray]: ...

    def ranked_ids(self, match: str, offset: int, limit: int, within: np.ndarray | None = None) -> list[int]: ...

    def doc_index(self) -> DocIndex: ...

    def summaries(self, ids: list[int]) -> dict[int, tuple]: ...

    def tags_for(self, ids: list[int]) -> dict[int, list[tuple[str, bool]]]: ...

    def vocabulary(self):  # None while a server builds the first one
        ...

    def entity_counts(self, about: bool = False) -> list[tuple[str, int]]: ...

    def stats(self) -> ArchiveStats: ...

    def imports(self, limit: int = 50) -> list[dict]: ...

    def merged_into(self, entity_id: str) -> str | None:
        """The entity an analyst merged ``entity_id`` into, if any (its page redirects there)."""
        ...

    def rebuild_fts(self) -> int: ...

    # The entity API (/api/entities): per entity, articles naming it, about it, and naming one
    # of its places; an entity's analysts' aliases and merges; every merge (from -> into).
    def entity_tag_counts(self, entity_ids=None) -> dict[str, tuple[int, int, int]]: ...

    def entity_corrections(self, entity_id: str) -> dict: ...

    def merged_ids(self) -> dict[str, str]: ...
