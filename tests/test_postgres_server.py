"""The PostgreSQL server the tests start (tests/pgserver.py) is real and takes databases."""
import psycopg

from tests import pgserver


def test_postgres_test_server_creates_a_database_per_archive(pg_server):
    url = pgserver.new_database(pg_server)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_database()").fetchone()[0] == url.rsplit("/", 1)[1]
        assert conn.execute("SHOW server_version_num").fetchone()[0] >= "150000"
