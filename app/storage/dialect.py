"""What the migrations do differently on PostgreSQL (the same revisions serve both backends)."""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

# Dates are the text 'YYYY-MM-DD HH:MM:SS' on both backends (SQLite has no other kind), so
# comparisons, sorts and COALESCE(published_at, '') read the same everywhere.
WHEN = sqlmodel.sql.sqltypes.UTCDateTime().with_variant(sa.Text(), "postgresql")


def is_postgres() -> bool:
    return op.get_context().dialect.name == "postgresql"


def create_pg_fulltext() -> None:
    """PostgreSQL's full-text index, in place of the FTS5 table: per article a tsvector of the
    same folded and stemmed words FTS5 indexes (title weight A, lead B, rest of the body C,
    built by app/storage/pg_fts.py), its number of words (for bm25), and a GIN index."""
    op.create_table(
        "article_fts",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("doc", sa.dialects.postgresql.TSVECTOR(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
    )
    op.execute("CREATE INDEX ix_article_fts_doc ON article_fts USING gin (doc)")
