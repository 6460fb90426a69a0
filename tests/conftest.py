"""Test archives built by the real migrations and the real importer, on real SQLite files."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.ingest.load import import_paths
from app.store import open_store
from app.web.app import create_app

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


@pytest.fixture(scope="session")
def archive(tmp_path_factory):
    """(settings, import report) of an archive of the seeds, our samples and our fixtures."""
    path = tmp_path_factory.mktemp("archive") / "archive.db"
    settings = settings_for(path)
    paths = ([str(SEEDS)] if SEEDS.is_dir() else []) + [str(SAMPLES)] + [str(FIXTURES / f) for f in ARCHIVE_FIXTURES]
    report = import_paths(open_store(settings), paths, workers=1)
    return settings, report


@pytest.fixture(scope="session")
def client(archive):
    settings, _ = archive
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def fresh_db(tmp_path):
    """Settings of a new, empty archive, for tests that write."""
    return settings_for(tmp_path / "fresh.db")


def article_id_by_origin(report, needle: str) -> int:
    for line in report.lines:
        if needle in line.origin and line.article_id:
            return line.article_id
    raise AssertionError(f"no imported article from {needle}")
