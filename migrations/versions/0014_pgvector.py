"""pgvector column for article vectors on PostgreSQL (issue 12)

Revision ID: 0014_pgvector
Revises: 0013_embeddings
Create Date: 2026-12-02

On a PostgreSQL server that has the pgvector extension (``vector`` in pg_available_extensions,
and the right to create it), article_vector gains a column ``embedding vector`` beside its int8
codes: the embed stage fills it and keeps an HNSW index per dimension count, and searches by
meaning then run on the server (app/storage/pg_vectors.py). Without the extension, and on
SQLite, nothing changes: the vectors are loaded into memory as before.
"""
import logging

import sqlalchemy as sa
from alembic import op

from app.storage.dialect import is_postgres

revision = '0014_pgvector'
down_revision = '0013_embeddings'
branch_labels = None
depends_on = None

log = logging.getLogger("newsarchive")


def upgrade() -> None:
    if not is_postgres():
        return
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).first() is None:
        return
    try:
        with bind.begin_nested():  # a refused CREATE EXTENSION (no privilege) leaves the rest as it is
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS vector"))
    except sa.exc.DBAPIError as exc:
        log.warning("newsarchive: pgvector is installed but cannot be enabled here (%s): vectors are"
                    " searched in memory", str(exc.orig).strip().splitlines()[0])
        return
    bind.execute(sa.text("ALTER TABLE article_vector ADD COLUMN IF NOT EXISTS embedding vector"))


def downgrade() -> None:
    if is_postgres():
        op.execute("ALTER TABLE article_vector DROP COLUMN IF EXISTS embedding")
