"""article bodies kept compressed (zlib)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

The body is read for the 20 hits of a page (snippets), the article page, re-tagging and
re-indexing, never searched in SQL (the full-text index has its own words): compressed, it takes
about 40 % of its size (0.87 -> ~0.70 GB at 100k realistic articles). Readers go through the SQL
function unz() (app/storage/sqlite_text.py). The column keeps its name; its values become BLOBs.
"""
import zlib

from alembic import op

from app.storage.dialect import is_postgres


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _functions() -> None:
    raw = op.get_bind().connection.dbapi_connection
    raw.create_function("z_compress", 1, lambda v: zlib.compress(v.encode("utf-8"), 6) if isinstance(v, str) else v,
                        deterministic=True)
    raw.create_function("z_text", 1, lambda v: zlib.decompress(v).decode("utf-8") if isinstance(v, bytes) else v,
                        deterministic=True)


def upgrade() -> None:
    if is_postgres():
        # PostgreSQL compresses long text itself (TOAST): the body stays text, and unz() is the
        # identity so that the SQL the backends share reads it the same way.
        op.execute("CREATE OR REPLACE FUNCTION unz(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE"
                   " AS 'SELECT $1'")
        return
    _functions()
    for table in ("article", "article_version"):
        op.execute(f"UPDATE {table} SET body = z_compress(body)")


def downgrade() -> None:
    if is_postgres():
        op.execute("DROP FUNCTION IF EXISTS unz(text)")
        return
    _functions()
    for table in ("article", "article_version"):
        op.execute(f"UPDATE {table} SET body = z_text(body)")
