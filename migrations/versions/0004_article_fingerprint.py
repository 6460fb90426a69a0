"""near-duplicate fingerprints in their own narrow table

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

The MinHash signature and LSH band keys sat at the end of the article row, after the body and
the original text, so reading them (the story grouping pass reads every article's bands) walked
each row's overflow pages. A table of their own keeps them on a few contiguous pages.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_fingerprint',
    sa.Column('article_id', sa.Integer(), sa.ForeignKey('article.id', ondelete='CASCADE'), nullable=False),
    sa.Column('minhash', sa.LargeBinary(), nullable=True),
    sa.Column('bands', sa.LargeBinary(), nullable=True),
    sa.PrimaryKeyConstraint('article_id'),
    )
    op.execute("INSERT INTO article_fingerprint(article_id, minhash, bands) SELECT id, minhash, bands FROM article"
               " WHERE minhash IS NOT NULL OR bands IS NOT NULL")
    # SQLite >= 3.35 drops a column in place (no table copy, foreign keys untouched).
    op.execute("ALTER TABLE article DROP COLUMN bands")
    op.execute("ALTER TABLE article DROP COLUMN minhash")


def downgrade() -> None:
    op.execute("ALTER TABLE article ADD COLUMN minhash BLOB")
    op.execute("ALTER TABLE article ADD COLUMN bands BLOB")
    op.execute("UPDATE article SET minhash = (SELECT minhash FROM article_fingerprint f WHERE f.article_id = article.id),"
               " bands = (SELECT bands FROM article_fingerprint f WHERE f.article_id = article.id)")
    op.drop_table('article_fingerprint')
