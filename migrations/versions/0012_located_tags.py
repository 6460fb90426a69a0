"""located country tags: a country named only through its cities or regions (issue 14)

Revision ID: 0012_located_tags
Revises: 0009
Create Date: 2026-12-02

article_entity.located: a place of the country is named ("Casablanca" for Morocco);
article_entity.located_only: only places name it (the weaker kind of tag: country filters include
it unless located=0). mention.place: for a place's mention, the place's name ("London" for
"Londres"), NULL for the entity's own mentions. Existing rows are direct tags (0, 0, NULL):
`newsarchive retag` adds the located tags to an existing archive.
"""
import sqlalchemy as sa
from alembic import op


revision = '0012_located_tags'
down_revision = '0011_saved_searches'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('article_entity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('located', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('located_only', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_column('place')
    with op.batch_alter_table('article_entity', schema=None) as batch_op:
        batch_op.drop_column('located_only')
        batch_op.drop_column('located')
