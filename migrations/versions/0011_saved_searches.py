"""saved searches, with the high-water marks behind "new since last opened" and alerts

Revision ID: 0011_saved_searches
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_saved_searches'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'saved_search',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(), nullable=False),
        sa.Column('query', sa.String(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('seen_id', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('seen_at', sa.DateTime(), nullable=True),
        sa.Column('alerted_id', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('alerted_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('saved_search')
