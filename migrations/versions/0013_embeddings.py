"""article vectors for search by meaning (issue 11)

Revision ID: 0013_embeddings
Revises: 0012_located_tags
Create Date: 2026-12-02

One vector per article (its title and lead), written by `newsarchive embed`, with the model that
made it: a change of model re-embeds. int8 components and one float scale per vector (512 + 4
bytes for a 512-dimension model, a quarter of float32), dequantised as vector * scale. Plain
portable DDL: no SQLite-only SQL (a PostgreSQL backend is coming).
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_embeddings'
down_revision = '0012_located_tags'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'article_vector',
        sa.Column('article_id', sa.Integer(), sa.ForeignKey('article.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('model', sa.String(), nullable=False),
        sa.Column('dims', sa.Integer(), nullable=False),
        sa.Column('scale', sa.Float(), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.Column('embedded_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_article_vector_model', 'article_vector', ['model'])


def downgrade() -> None:
    op.drop_index('ix_article_vector_model', table_name='article_vector')
    op.drop_table('article_vector')
