"""SQLModel tables (what is stored) and view models (what pages and the API render).

The FTS5 table ``article_fts`` is created by a migration in raw SQL (SQLModel cannot express
virtual tables) and is kept out of autogenerate in migrations/env.py.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Article(SQLModel, table=True):
    # The columns the facet index is built from, apart from the wide rows (migration 0008).
    __table_args__ = (Index("ix_article_facets", "id", "language", "source", "published_at", "imported_at", "story_id"),)
    id: int | None = Field(default=None, primary_key=True)
    title: str
    title_derived: bool = False
    body: bytes  # zlib-compressed UTF-8 (migration 0009); read through SQL's unz()
    # Filters on language and source go through the in-memory DocIndex, not SQL indexes.
    language: str | None = None
    source: str | None = None
    url: str | None = Field(default=None, index=True)
    author: str | None = None
    origin: str  # file path, "container!inner/path" or URL
    format: str = "text"
    content_hash: str = Field(unique=True)
    original_bytes: bytes | None = None  # zlib-compressed
    original_z: bytes  # the text as imported, zlib-compressed UTF-8 (provenance; never searched)
    published_at: datetime | None = Field(default=None, index=True)
    published_how: str = "unknown"
    captured_at: datetime | None = None
    imported_at: datetime = Field(index=True)
    import_id: int | None = Field(default=None, foreign_key="import_run.id")
    # Near-duplicates share a story: the id of the story's first article (its own id if alone).
    story_id: int | None = Field(default=None, index=True)


class ArticleFingerprint(SQLModel, table=True):
    """What finds near-duplicates (app/ingest/stories.py), apart from the wide article row so that
    the grouping pass reads it without walking the rows' overflow pages."""

    __tablename__ = "article_fingerprint"
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    minhash: bytes | None = None  # MinHash signature of the body
    bands: bytes | None = None  # its LSH band keys (int64s): near-duplicate candidates share one


class ArticleVector(SQLModel, table=True):
    """An article's vector for search by meaning (migration 0013_embeddings): int8 components,
    times ``scale``; written by `newsarchive embed` with the model that made it."""

    __tablename__ = "article_vector"
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    model: str = Field(index=True)
    dims: int
    scale: float
    vector: bytes
    embedded_at: datetime


class ArticleEntity(SQLModel, table=True):
    """One tag: the article mentions (or is about) a country or an agency."""

    __tablename__ = "article_entity"
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    entity_id: str = Field(primary_key=True, index=True)
    about: bool = False
    mention_count: int = 1  # the mentions behind the tag, the places' included
    located: bool = False  # a city or region of the country is named (issue 14)
    located_only: bool = False  # only places name it: country filters include it unless located=0


class Mention(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    entity_id: str
    start: int
    end: int
    surface: str
    place: str | None = None  # a place's mention ("Londres"): the place's name ("London")
    # No sentence column: the article page cuts the sentence out of the stored text at these
    # offsets (into title + "\n\n" + body), which saves kilobytes per article.


class SourceTag(SQLModel, table=True):
    """Tags that came with the article (e.g. Reuters PLACES/ORGS), kept apart from ours."""

    __tablename__ = "source_tag"
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True, index=True)


class ImportRun(SQLModel, table=True):
    __tablename__ = "import_run"
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime
    finished_at: datetime | None = None
    paths: str  # what the user asked to import, one per line
    added: int = 0
    duplicates: int = 0
    rejected: int = 0


class ImportFile(SQLModel, table=True):
    """One line of an import report: a file or record and what happened to it."""

    __tablename__ = "import_file"
    id: int | None = Field(default=None, primary_key=True)
    import_id: int = Field(foreign_key="import_run.id", index=True, ondelete="CASCADE")
    origin: str
    status: str  # added, duplicate, rejected
    article_id: int | None = None
    reason: str | None = None


class Meta(SQLModel, table=True):
    """Key/value facts about the archive; ``generation`` bumps on every write so caches refresh."""

    key: str = Field(primary_key=True)
    value: str


# -- analysts' corrections (app/corrections.py) ------------------------------------------------
# Kept apart from the extracted tags (article_entity, mention), which re-imports and `retag`
# rewrite: these tables are the analysts' decisions, applied on top after every extraction.


class EntityAlias(SQLModel, table=True):
    """An extra way of writing a known entity, matched like the gazetteer's own aliases."""

    __tablename__ = "entity_alias"
    id: int | None = Field(default=None, primary_key=True)
    entity_id: str
    alias: str
    created_at: datetime


class EntityMerge(SQLModel, table=True):
    """``from_id`` is the same thing as ``into_id``: its tags and mentions count for ``into_id``."""

    __tablename__ = "entity_merge"
    from_id: str = Field(primary_key=True)
    into_id: str
    created_at: datetime


class TagOverride(SQLModel, table=True):
    """One article's tag decided by an analyst: ``hide`` a wrong one, or ``add`` a missing one."""

    __tablename__ = "tag_override"
    article_id: int = Field(foreign_key="article.id", primary_key=True, ondelete="CASCADE")
    entity_id: str = Field(primary_key=True)
    action: str  # "hide" | "add"
    about: bool = False  # for "add": the article is about the entity, not just mentioning it
    created_at: datetime


class ArticleVersion(SQLModel, table=True):
    """An older text of an article that came back from the same URL with new text."""

    __tablename__ = "article_version"
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    version: int  # 1 = the first text imported; the article row holds the newest
    title: str
    body: bytes  # zlib-compressed UTF-8
    original_bytes: bytes | None = None
    original_z: bytes  # zlib-compressed UTF-8
    content_hash: str = Field(index=True)
    origin: str
    published_at: datetime | None = None
    imported_at: datetime


class SavedSearch(SQLModel, table=True):
    """A search kept under a name. "New" articles are those with an id above a high-water mark:
    ids only grow, so the marks need no clock. ``seen_id``: the newest id when it was last opened
    from /saved; ``alerted_id``: the newest id when `newsarchive alerts` last reported it."""

    __tablename__ = "saved_search"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    query: str  # the /search query string, canonical (SearchParams.to_query), without page
    created_at: datetime
    seen_id: int = 0
    seen_at: datetime | None = None
    alerted_id: int = 0
    alerted_at: datetime | None = None
