"""The web server reads the archive read-only: no page request can write, admin writes go apart."""
from __future__ import annotations

import sqlite3

import pytest


@pytest.mark.sqlite_only("PRAGMA query_only and mode=ro; tests/test_postgres.py checks the read-only session")
def test_the_servers_connection_refuses_writes_even_with_query_only_turned_off(client):
    conn = client.app.state.store.conn()  # the connection every page and API request reads through
    assert conn.execute("SELECT count(*) FROM article").fetchone()[0] > 0
    for sql in ("UPDATE article SET title='x'", "DELETE FROM source_tag", "INSERT INTO meta(key, value) VALUES ('k', 'v')"):
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute(sql)
    conn.execute("PRAGMA query_only=0")  # what a bug could do: the file itself is still opened mode=ro
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("UPDATE article SET title='x'")
    finally:
        conn.execute("PRAGMA query_only=1")


def test_only_the_admin_corrections_and_saved_searches_open_a_read_write_connection():
    from tests.conftest import ROOT

    writers = [str(p.relative_to(ROOT)) for p in (ROOT / "app" / "web").rglob("*.py")
               if "read_only=False" in p.read_text(encoding="utf-8") or ".writer(" in p.read_text(encoding="utf-8")]
    assert sorted(writers) == ["app/web/routes/admin.py", "app/web/routes/saved.py"]
