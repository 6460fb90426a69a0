"""normalise source tags

Archives imported before tags were normalised hold `section:World`, which filters and links
(lowercased) never reached. Rewrite every stored tag with the same function imports now use.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

from app.tags import normalise_tag

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    changed = [(aid, tag, normalise_tag(tag))
               for aid, tag in conn.exec_driver_sql("SELECT article_id, tag FROM source_tag").fetchall()
               if normalise_tag(tag) != tag]
    for aid, old, new in changed:
        conn.execute(sa.text("DELETE FROM source_tag WHERE article_id=:aid AND tag=:tag"), {"aid": aid, "tag": old})
        # two spellings of one tag on one article become one row
        if new and not conn.execute(sa.text("SELECT 1 FROM source_tag WHERE article_id=:aid AND tag=:tag"),
                                    {"aid": aid, "tag": new}).first():
            conn.execute(sa.text("INSERT INTO source_tag(article_id, tag) VALUES (:aid, :tag)"), {"aid": aid, "tag": new})
    if changed:  # the server's in-memory tag index is keyed by this
        conn.exec_driver_sql("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key='generation'")


def downgrade() -> None:
    pass  # the original spellings are not kept; normalised tags work with the older code too
