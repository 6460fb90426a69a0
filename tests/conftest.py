"""Test archives built by the real migrations and the real importer, on real SQLite files and
on a real PostgreSQL server (tests/pgserver.py): ``archive``, ``client`` and ``fresh_db`` run each
test on both backends; ``@pytest.mark.sqlite_only("why")`` keeps one on SQLite."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.ingest.load import import_paths
from app.store import open_store
from app.web.app import create_app
from tests import pgserver

# Tests embed with the small deterministic model (the CLI's import runs the embed stage, in
# subprocesses too); tests/test_meaning.py runs the real one on a few articles.
os.environ.setdefault("NEWSARCHIVE_EMBEDDER", "hashing")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
SAMPLES = ROOT / "app" / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
# Hand-written fixtures imported into the shared test archive (the rest are for reader tests).
ARCHIVE_FIXTURES = ["cp1252.txt", "bom.txt", "script-title.txt", "corrupt.txt", "empty.txt"]

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"{SEEDS} is absent: the shared seed articles are not beside this checkout")


def seed(name_prefix: str) -> str:
    return str(next(SEEDS.glob(f"{name_prefix}_*.txt")))


def settings_for(path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{path}")


# NEWSARCHIVE_TEST_BACKENDS=sqlite runs the suite on SQLite alone.
BACKENDS = [b for b in os.environ.get("NEWSARCHIVE_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only(reason): a test of something only the SQLite backend has")


def pytest_collection_modifyitems(config, items):
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        spec = getattr(item, "callspec", None)
        if marker and spec and spec.params.get("backend") == "postgresql":
            why = marker.args[0] if marker.args else marker.kwargs.get("reason", "SQLite only")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


@pytest.fixture(scope="session")
def pg_server():
    """The URL of the maintenance database of a PostgreSQL server for this session."""
    if "postgresql" not in BACKENDS:
        pytest.skip("NEWSARCHIVE_TEST_BACKENDS leaves PostgreSQL out")
    if os.environ.get("NEWSARCHIVE_TEST_PG_URL"):
        yield os.environ["NEWSARCHIVE_TEST_PG_URL"]
        return
    reason = pgserver.missing_reason()
    if reason:
        pytest.skip(reason)
    cluster = pgserver.PgCluster().start()
    try:
        yield cluster.url()
    finally:
        cluster.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    return request.param


def settings_on(backend: str, request, path: Path) -> Settings:
    """Settings of a new, empty archive: the SQLite file ``path``, or a new PostgreSQL database."""
    if backend == "postgresql":
        return Settings(database_url=pgserver.new_database(request.getfixturevalue("pg_server")))
    return settings_for(path)


@pytest.fixture(scope="session")
def archive(tmp_path_factory, backend, request):
    """(settings, import report) of an archive of the seeds, our samples and our fixtures."""
    settings = settings_on(backend, request, tmp_path_factory.mktemp("archive") / "archive.db")
    paths = ([str(SEEDS)] if SEEDS.is_dir() else []) + [str(SAMPLES)] + [str(FIXTURES / f) for f in ARCHIVE_FIXTURES]
    report = import_paths(open_store(settings), paths, workers=1)
    return settings, report


@pytest.fixture(scope="session")
def client(archive):
    settings, _ = archive
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def fresh_db(tmp_path, backend, request):
    """Settings of a new, empty archive, for tests that write."""
    settings = settings_on(backend, request, tmp_path / "fresh.db")
    yield settings
    if backend == "postgresql":  # each database is ~8 MB on disk: a hundred of them add up
        pgserver.drop_database(request.getfixturevalue("pg_server"), settings.database_url)


def connect_to(settings: Settings, read_only: bool = False):
    """A connection to the archive of ``settings``, with sqlite3's API on either backend (SQL in
    SQLite's dialect: app/storage/pg_conn.py translates it for PostgreSQL)."""
    return open_store(settings).connect(read_only=read_only)


def article_id_by_origin(report, needle: str) -> int:
    for line in report.lines:
        if needle in line.origin and line.article_id:
            return line.article_id
    raise AssertionError(f"no imported article from {needle}")
