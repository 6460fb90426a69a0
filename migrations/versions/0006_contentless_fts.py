"""full-text index without its own copy of the text (contentless FTS5)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

The FTS5 table kept a copy of every article's index text (as large as the articles: 198 MB at
100k articles, ~4 GB at a million) that nothing reads: searches need only the index, snippets are
cut from the stored article. The index is rebuilt as a contentless table from that copy (one
INSERT ... SELECT, in C), then the old table is dropped. app/storage/sqlite_fts.py says how rows
are deleted from it. https://sqlite.org/fts5.html#contentless_tables
"""
from alembic import op

from app.storage.dialect import is_postgres


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

INDEX_TEXT_VERSION = "1"  # app.search.text.INDEX_TEXT_VERSION when this revision was written


def upgrade() -> None:
    if is_postgres():  # the tsvector table of 0001 keeps no copy of the text either
        op.execute(f"INSERT INTO meta(key, value) VALUES ('index_text', '{INDEX_TEXT_VERSION}')")
        return
    op.execute("CREATE VIRTUAL TABLE article_fts_contentless USING fts5(title, lead, body, tokenize='ascii', content='')")
    op.execute("INSERT INTO article_fts_contentless(article_fts_contentless, rank) VALUES('rank', 'bm25(4.0, 2.0, 1.0)')")
    op.execute("INSERT INTO article_fts_contentless(rowid, title, lead, body) SELECT rowid, title, lead, body FROM article_fts")
    op.execute("INSERT INTO article_fts_contentless(article_fts_contentless) VALUES('optimize')")
    op.execute("DROP TABLE article_fts")
    op.execute("ALTER TABLE article_fts_contentless RENAME TO article_fts")
    op.execute(f"INSERT OR REPLACE INTO meta(key, value) VALUES ('index_text', '{INDEX_TEXT_VERSION}')")


def downgrade() -> None:
    from app.ingest.prepare import index_columns

    op.execute("DROP TABLE article_fts")
    op.execute("CREATE VIRTUAL TABLE article_fts USING fts5(title, lead, body, tokenize='ascii')")
    op.execute("INSERT INTO article_fts(article_fts, rank) VALUES('rank', 'bm25(4.0, 2.0, 1.0)')")
    conn = op.get_bind()
    rows = conn.exec_driver_sql("SELECT id, title, body, language FROM article").fetchall()
    for aid, title, body, lang in rows:
        conn.exec_driver_sql("INSERT INTO article_fts(rowid, title, lead, body) VALUES (?,?,?,?)",
                             (aid, *index_columns(title, body, lang)[:3]))
    op.execute("DELETE FROM meta WHERE key='index_text'")
