"""An archive upgraded from before the contentless index and the compressed original text (revision
0005) answers exactly as one built at head: same searches, same original texts, whole index."""
from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy.engine import make_url

from app.db import alembic_config
from app.ingest.load import import_paths
from app.search.params import SearchParams
from app.store import open_store
from tests.conftest import FIXTURES, SAMPLES, SEEDS

QUERIES = ["police", "Interpol", "cellule terroriste", "minist*", '"joint operation"', "-police Maroc", "title:DGST"]


def answers(settings):
    store = open_store(settings, read_only=True)
    found = [(r.total, [h.id for h in r.hits]) for r in (store.search(SearchParams(q=q)) for q in QUERIES)]
    texts = [store.article(i).original_text for i in range(1, 6)]
    store.close()
    return found, texts


@pytest.mark.sqlite_only("downgrades below 0007 exist for SQLite archives only (PostgreSQL archives start at 0009)")
def test_downgrade_to_0005_and_upgrade_again_keeps_every_answer_and_original_text(fresh_db):
    paths = [str(SAMPLES), str(FIXTURES / "cp1252.txt")] + ([str(SEEDS)] if SEEDS.is_dir() else [])
    import_paths(open_store(fresh_db), paths, workers=1)
    before = answers(fresh_db)
    cfg = alembic_config(fresh_db.database_url)
    command.downgrade(cfg, "0005")
    db = make_url(fresh_db.database_url).database
    with sqlite3.connect(db) as c:  # the old layout: a content FTS table and plain original text
        assert c.execute("SELECT count(*) FROM article_fts_content").fetchone()[0] > 0
        assert c.execute("SELECT original_text FROM article WHERE id=1").fetchone()[0] == before[1][0]
    command.upgrade(cfg, "head")
    with sqlite3.connect(db) as c:
        assert not c.execute("SELECT 1 FROM sqlite_master WHERE name='article_fts_content'").fetchone()
        c.execute("INSERT INTO article_fts(article_fts, rank) VALUES('integrity-check', 1)")
    assert answers(fresh_db) == before
