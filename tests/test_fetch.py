"""Fetching URLs, against a local HTTP server on 127.0.0.1 (never the internet): the tests that
fetch from it say allow_private, since loopback addresses are refused by default."""
from __future__ import annotations

import gzip
import io
import tarfile
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.ingest.fetch import USER_AGENT, Fetcher, FetchError
from app.ingest.record import ArticleRecord, Rejected
from app.ingest.sources import iter_records

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def _tar_gz(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


class _Site(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}
    seen_agents: list[str] = []

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.hits[path] = self.hits.get(path, 0) + 1
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        route = {
            "/page": lambda: self._send(200, "text/html; charset=utf-8", (FIXTURES / "page.html").read_bytes()),
            "/feed": lambda: self._send(200, "application/rss+xml", (FIXTURES / "feed.rss").read_bytes()),
            "/data": lambda: self._send(200, "application/x-ndjson", (FIXTURES / "articles.jsonl").read_bytes()),
            "/bundle.tar.gz": lambda: self._send(200, "application/gzip", _tar_gz({"news/one.md": b"# One\n\nThe first story."})),
            "/redirect": lambda: self._redirect("/page"),
            "/loop": lambda: self._redirect("/loop"),
            "/missing": lambda: self._send(404, "text/plain", b"no"),
            "/down": lambda: self._send(503, "text/plain", b"busy"),
            "/flaky": self._flaky,
            "/big": lambda: self._send(200, "text/html", b"x" * 300_000),
            "/big-chunked": self._big_chunked,
        }.get(path)
        if route is None:
            self._send(404, "text/plain", b"no route")
        else:
            route()

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, to: str) -> None:
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _flaky(self) -> None:
        if self.hits["/flaky"] < 3:
            self._send(502, "text/plain", b"bad gateway")
        else:
            self._send(200, "text/html; charset=utf-8", (FIXTURES / "page.html").read_bytes())

    def _big_chunked(self) -> None:
        # No Content-Length: the limit must stop the download itself.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"y" * 65536
        try:
            for _ in range(20):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetcher():
    sleeps: list[float] = []
    with Fetcher(timeout=5, max_bytes=200_000, backoff=0.5, sleep=sleeps.append, allow_private=True) as f:
        f.sleeps = sleeps
        yield f


def test_fetch_sends_our_user_agent_and_follows_redirects(site, fetcher):
    fetched = fetcher.fetch(f"{site}/redirect")
    assert fetched.url == f"{site}/page"
    assert fetched.content_type == "text/html" and fetched.charset == "utf-8"
    assert fetched.data == (FIXTURES / "page.html").read_bytes()
    assert _Site.seen_agents[-1] == USER_AGENT


def test_fetch_gives_up_after_five_redirects(site, fetcher):
    with pytest.raises(FetchError, match="too many redirects"):
        fetcher.fetch(f"{site}/loop")


def test_fetch_does_not_retry_a_404(site, fetcher):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.fetch(f"{site}/missing")
    assert fetcher.sleeps == []


def test_fetch_retries_5xx_with_exponential_backoff(site, fetcher):
    fetched = fetcher.fetch(f"{site}/flaky")
    assert fetched.status == 200
    assert fetcher.sleeps == [0.5, 1.0]


def test_fetch_reports_a_server_that_stays_down(site, fetcher):
    with pytest.raises(FetchError, match=r"HTTP 503 .*after 3 tries"):
        fetcher.fetch(f"{site}/down")


def test_fetch_refuses_more_than_the_size_limit(site, fetcher):
    with pytest.raises(FetchError, match="larger than"):
        fetcher.fetch(f"{site}/big")
    with pytest.raises(FetchError, match="stopped reading"):
        fetcher.fetch(f"{site}/big-chunked")


def test_fetch_retries_when_nothing_listens(fetcher):
    with pytest.raises(FetchError, match="connection failed"):
        fetcher.fetch("http://127.0.0.1:9/")  # the discard port: nothing listens there
    assert fetcher.sleeps == [0.5, 1.0]


# -- URLs through iter_records -----------------------------------------------------------------


def test_url_to_a_page_becomes_an_html_article_with_the_fetched_bytes(site, fetcher):
    [record] = iter_records([f"{site}/page"], fetcher=fetcher)
    assert isinstance(record, ArticleRecord)
    assert record.origin == f"{site}/page"
    assert record.title == "Un nouveau pont sur la rivière"
    assert record.original_bytes == (FIXTURES / "page.html").read_bytes()
    assert record.format == "html"


def test_url_to_a_feed_is_read_as_a_feed(site, fetcher):
    items = list(iter_records([f"{site}/feed"], fetcher=fetcher))
    assert [i.title for i in items] == ["Dam inspection finds no cracks", "Library extends opening hours"]
    assert all(i.published_how == "feed" for i in items)


def test_url_to_json_lines_and_to_an_archive(site, fetcher):
    lines = list(iter_records([f"{site}/data"], fetcher=fetcher))
    assert lines[0].origin == f"{site}/data:1" and lines[0].format == "jsonl"
    [story] = iter_records([f"{site}/bundle.tar.gz"], fetcher=fetcher)
    assert story.origin == f"{site}/bundle.tar.gz!news/one.md" and story.title == "One"


def test_file_of_urls_fetches_each_and_rejects_the_failures(site, fetcher, tmp_path):
    links = tmp_path / "links.txt"
    links.write_text(f"{site}/page\n\n{site}/missing\n{site}/feed\n")
    items = list(iter_records([str(links)], fetcher=fetcher))
    assert [type(i).__name__ for i in items] == ["ArticleRecord", "Rejected", "ArticleRecord", "ArticleRecord"]
    assert items[1] == Rejected(f"{site}/missing", "HTTP 404 Not Found")


def test_urls_format_rejects_lines_that_are_not_urls(site, fetcher, tmp_path):
    links = tmp_path / "links.list"
    links.write_text(f"{site}/page\nnot a url\n")
    items = list(iter_records([str(links)], fmt="urls", fetcher=fetcher))
    assert items[1] == Rejected(f"{links}:2", "not an http(s) URL")


@pytest.mark.parametrize("workers", [1, 2])
def test_an_import_of_a_folder_reads_what_txt_files_really_hold(site, tmp_path, fresh_db, workers):
    """Workers open .txt files themselves; one that turns out to be a list of URLs or an
    archive is walked in full by the importer, in its place in the folder's order."""
    from app.ingest.load import import_paths
    from app.store import open_store

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(70):  # enough files for the worker pool
        (folder / f"a{i:02d}.txt").write_text(f"Story {i}\n\nInterpol met Europol in Lyon about case {i}.\n")
    (folder / "b-links.txt").write_text(f"{site}/page\n{site}/missing\n")
    with gzip.open(folder / "c-packed.txt", "wb") as packed:
        packed.write(b"Packed story\n\nA gzip file named .txt holds one article.\n")
    report = import_paths(open_store(fresh_db), [str(folder)], workers=workers, follow_url_lists=True,
                          allow_private=True)
    tail = [(line.origin.removeprefix(str(folder) + "/"), line.status) for line in report.lines[70:]]
    assert tail == [(f"{site}/page", "added"), (f"{site}/missing", "rejected"), ("c-packed.txt", "added")]
    assert [line.status for line in report.lines[:70]] == ["added"] * 70


# -- what imported data may make us fetch (issue 9, finding 7) --------------------------------


def _hits() -> int:
    return sum(_Site.hits.values())


def _folder_with_links(tmp_path, site) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "story.txt").write_text("A story\n\nInterpol met Europol in Lyon about the case.\n")
    (folder / "links.txt").write_text(f"{site}/page\n{site}/feed\n")
    with zipfile.ZipFile(folder / "bundle.zip", "w") as archive:
        archive.writestr("urls.txt", f"{site}/data\n")
    return folder


@pytest.mark.parametrize("workers", [1, 2])
def test_url_lists_inside_a_folder_or_zip_are_reported_and_not_fetched(site, tmp_path, fresh_db, workers):
    from app.ingest.load import import_paths
    from app.store import open_store

    folder = _folder_with_links(tmp_path, site)
    before = _hits()
    report = import_paths(open_store(fresh_db), [str(folder)], workers=workers, allow_private=True)
    assert _hits() == before
    lines = {line.origin.removeprefix(str(folder) + "/"): line for line in report.lines}
    assert lines["story.txt"].status == "added"
    for origin in ("links.txt", "bundle.zip!urls.txt"):
        assert lines[origin].status == "skipped" and "--follow-url-lists" in lines[origin].reason
    assert report.exit_code == 0


def test_follow_url_lists_fetches_the_lists_found_in_a_folder_and_a_zip(site, tmp_path, fresh_db):
    from app.ingest.load import import_paths
    from app.store import open_store

    folder = _folder_with_links(tmp_path, site)
    before = {path: _Site.hits.get(path, 0) for path in ("/page", "/feed", "/data")}
    report = import_paths(open_store(fresh_db), [str(folder)], workers=1, follow_url_lists=True, allow_private=True)
    assert all(_Site.hits.get(path, 0) == n + 1 for path, n in before.items())
    assert f"{site}/data:1" in {line.origin for line in report.lines}


def test_a_url_list_given_on_the_command_line_is_fetched(site, tmp_path, fresh_db):
    from app.ingest.load import import_paths
    from app.store import open_store

    links = tmp_path / "links.txt"
    links.write_text(f"{site}/page\n")
    report = import_paths(open_store(fresh_db), [str(links)], workers=1, allow_private=True)
    assert [(line.origin, line.status) for line in report.lines] == [(f"{site}/page", "added")]


def test_loopback_and_private_addresses_are_refused_with_the_reason(site, tmp_path, fresh_db):
    from app.ingest.load import import_paths
    from app.store import open_store

    before = _hits()
    links = tmp_path / "links.txt"
    links.write_text(f"{site}/page\nhttp://10.0.0.1/a\nhttp://169.254.169.254/latest/meta-data\nhttp://[::1]:9/\n")
    report = import_paths(open_store(fresh_db), [f"{site}/feed", str(links)], workers=1)
    assert _hits() == before
    reasons = [line.reason for line in report.lines]
    assert all(line.status == "rejected" for line in report.lines) and len(reasons) == 5
    assert reasons[0] == "refused: 127.0.0.1 is a loopback address (--allow-private fetches it)"
    assert "10.0.0.1 is a private address" in reasons[2]
    assert "169.254.169.254 is a link-local address" in reasons[3]
    assert "::1 is a loopback address" in reasons[4]


def test_localhost_by_name_is_refused_too():
    with Fetcher(tries=1) as fetcher, pytest.raises(FetchError, match="localhost resolves to .*, a loopback address"):
        fetcher.fetch("http://localhost:9/")


def test_a_redirect_from_a_public_address_to_loopback_is_refused(site):
    """The check runs before every request of a redirect chain, not only the first."""
    import httpx

    def public_site(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "93.184.216.34", "the redirect target must never be requested"
        return httpx.Response(302, headers={"Location": f"{site}/page"})

    with Fetcher(tries=1, transport=httpx.MockTransport(public_site)) as fetcher:
        with pytest.raises(FetchError, match="refused: 127.0.0.1 is a loopback address"):
            fetcher.fetch("http://93.184.216.34/story")


def test_cli_flags_follow_url_lists_and_allow_private(site, tmp_path, fresh_db):
    from typer.testing import CliRunner

    from app.cli import app as cli

    folder = _folder_with_links(tmp_path, site)
    db = fresh_db.database_url.removeprefix("sqlite:///")
    refused = CliRunner().invoke(cli, ["import", "--db", db, "--workers", "1", "--follow-url-lists", str(folder)])
    assert refused.exit_code == 1 and "refused: 127.0.0.1 is a loopback address" in refused.output
    before = _Site.hits.get("/page", 0)
    fetched = CliRunner().invoke(cli, ["import", "--db", db, "--workers", "1", "--follow-url-lists", "--allow-private",
                                       str(folder)])
    assert "refused" not in fetched.output and f"added            {site}/page" in fetched.output
    assert _Site.hits.get("/page", 0) == before + 1


@pytest.mark.parametrize("url", ["http://://", "https:///path"])
def test_a_url_without_a_host_is_a_named_rejection(url, tmp_path):
    # found by tests/test_fuzz_readers.py: httpx's cookie jar raised a bare ValueError on it
    with Fetcher(tries=1) as fetcher:
        with pytest.raises(FetchError, match="no host"):
            fetcher.fetch(url)
    links = tmp_path / "links.txt"
    links.write_text(url + "\n")
    with Fetcher(tries=1) as fetcher:
        items = list(iter_records([str(links)], fetcher=fetcher))
    assert [type(item) for item in items] == [Rejected]
    assert "no host" in items[0].reason
