"""original text kept compressed (zlib)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

The text of each article as imported (provenance: shown on the article page, never searched)
was stored as plain text beside the cleaned body, as large as it: 187 MB at 100k articles,
~3.6 GB at a million. zlib keeps it in about a third. Every row is rewritten once.
"""
import zlib

from alembic import op


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
    _with_functions()
    for table in ("article", "article_version"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN original_z BLOB")
        op.execute(f"UPDATE {table} SET original_z = z_compress(original_text)")
        op.execute(f"ALTER TABLE {table} DROP COLUMN original_text")


def downgrade() -> None:
    _with_functions()
    for table in ("article", "article_version"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN original_text TEXT NOT NULL DEFAULT ''")
        op.execute(f"UPDATE {table} SET original_text = z_text(original_z)")
        op.execute(f"ALTER TABLE {table} DROP COLUMN original_z")
