"""original text kept compressed (zlib)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

The text of each article as imported (provenance: shown on the article page, never searched)
was stored as plain text beside the cleaned body, as large as it: 187 MB at 100k articles,
~3.6 GB at a million. zlib keeps it in about a third. Every row is rewritten once.
"""
import zlib

import sqlalchemy as sa
from alembic import op

from app.storage.dialect import is_postgres


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _with_functions():
    conn = op.get_bind()
    raw = conn.connection.dbapi_connection
    raw.create_function("z_compress", 1, lambda text: zlib.compress(text.encode("utf-8"), 6) if text is not None else None,
                        deterministic=True)
    raw.create_function("z_text", 1, lambda blob: zlib.decompress(blob).decode("utf-8") if blob is not None else None,
                        deterministic=True)
    return conn


def upgrade() -> None:
    if is_postgres():
        _pg_upgrade()
        return
    _with_functions()
    for table in ("article", "article_version"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN original_z BLOB")
        op.execute(f"UPDATE {table} SET original_z = z_compress(original_text)")
        op.execute(f"ALTER TABLE {table} DROP COLUMN original_text")


def _pg_upgrade() -> None:
    conn = op.get_bind()
    for table in ("article", "article_version"):
        op.add_column(table, sa.Column("original_z", sa.LargeBinary(), nullable=True))
        rows = conn.execute(sa.text(f"SELECT id, original_text FROM {table}")).fetchall()
        for rid, text in rows:
            conn.execute(sa.text(f"UPDATE {table} SET original_z=:z WHERE id=:id"),
                         {"z": zlib.compress(text.encode("utf-8"), 6), "id": rid})
        op.drop_column(table, "original_text")


def downgrade() -> None:
    if is_postgres():
        raise NotImplementedError("downgrade below 0007 is SQLite-only")
    _with_functions()
    for table in ("article", "article_version"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN original_text TEXT NOT NULL DEFAULT ''")
        op.execute(f"UPDATE {table} SET original_text = z_text(original_z)")
        op.execute(f"ALTER TABLE {table} DROP COLUMN original_z")
