"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) against a
live `uvicorn` serving archives built by the real importer.

Skipped, saying why, when no Chromium is installed (`apt-get install -y chromium`; .ci/run does
it) or Playwright is not. NEWSARCHIVE_CHROMIUM names another Chromium binary."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.ingest.load import import_paths
from app.store import open_store
from tests.conftest import ARCHIVE_FIXTURES, FIXTURES, ROOT, SAMPLES, SEEDS, settings_for

SCREENSHOTS = ROOT / "bench" / "out" / "screenshots"  # git-ignored; CI keeps them as artifacts
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium() -> str | None:
    for candidate in (os.environ.get("NEWSARCHIVE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _why_skipped() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -e '.[test]'"
    if chromium() is None:
        return "no Chromium found (/usr/bin/chromium): apt-get install -y chromium, or set NEWSARCHIVE_CHROMIUM"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _why_skipped()
    if reason:
        here = Path(__file__).parent
        for item in items:
            if here in Path(str(item.fspath)).parents:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright's launch options: our Chromium, headless."""
    return {"executable_path": chromium(), "headless": True}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`uvicorn app.web.app:served_app` (what `newsarchive serve` runs) over one archive."""

    def __init__(self, db: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, NEWSARCHIVE_DATABASE_URL=f"sqlite:///{db}")
        env.pop("NEWSARCHIVE_ADMIN_TOKEN", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.web.app:served_app", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"], env=env, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {self.process.returncode}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("uvicorn did not start in 30 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _served(tmp_path_factory, name: str, paths: list[str]):
    """An archive of ``paths`` built by the importer in a temporary folder, served live."""
    if _why_skipped():
        pytest.skip(_why_skipped())
    db = tmp_path_factory.mktemp(name) / "archive.db"
    import_paths(open_store(settings_for(db)), paths, workers=1)
    server = LiveServer(db)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seeds_server(tmp_path_factory):
    """An archive of the seeds, our samples and the hand-written fixtures (what the other tests'
    shared archive holds), on SQLite: the pages are the same on either backend, and the browser
    suite runs once."""
    paths = ([str(SEEDS)] if SEEDS.is_dir() else []) + [str(SAMPLES)] + [str(FIXTURES / f) for f in ARCHIVE_FIXTURES]
    yield from _served(tmp_path_factory, "seeds", paths)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The demo archive (`newsarchive demo`: the built-in samples)."""
    yield from _served(tmp_path_factory, "demo", [str(SAMPLES)])


@pytest.fixture(scope="session")
def large_server(tmp_path_factory):
    """A larger archive for the accessibility checks: BBC's 2,225 articles with the seeds and
    samples (long facet lists, many pages, a full histogram)."""
    bbc = ROOT.parent / "shared" / "corpora" / "bbc-news" / "bbc-fulltext.tar.gz"
    if not bbc.is_file():
        pytest.skip(f"{bbc} is absent: the shared corpora are not beside this checkout")
    yield from _served(tmp_path_factory, "large", [str(bbc), str(SAMPLES)] + ([str(SEEDS)] if SEEDS.is_dir() else []))


@pytest.fixture(scope="session")
def base_url(seeds_server):
    """pytest-playwright's pages open relative URLs on the seeds archive's server."""
    return seeds_server.url


@pytest.fixture
def phone(browser, base_url):
    context = browser.new_context(viewport=PHONE, base_url=base_url, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
