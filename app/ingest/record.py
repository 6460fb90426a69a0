"""What every reader produces: one article as parsed, before storage.

Readers are pure: bytes or text in, ``ArticleRecord`` (or ``Rejected``) out. The loader
(``app.ingest.load``) adds language, tags and hashes and writes them through the store.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ArticleRecord:
    title: str
    body: str
    # The text as imported (decoded), shown on the article page as provenance.
    original_text: str
    # Where it came from: a file path, "archive.zip!inner/path.txt", or a URL.
    origin: str
    title_derived: bool = False
    language: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    # How the date was found: "text", "metadata", "url", "feed", or "unknown".
    published_how: str = "unknown"
    captured_at: datetime | None = None
    # Tags provided by the source itself (e.g. Reuters PLACES/ORGS); not ours.
    source_tags: list[str] = field(default_factory=list)
    # The original bytes, when the reader had them (kept compressed for provenance).
    original_bytes: bytes | None = None
    # Reader name, e.g. "text", "html", "jsonl"; stored as provenance.
    format: str = "text"


@dataclass
class Rejected:
    """A file or record that could not be read; ``reason`` is for a human.

    ``skipped``: not an error but a file that is not an article (a README inside a corpus
    archive): reported, and not counted as a rejection in the exit code.
    """

    origin: str
    reason: str
    skipped: bool = False


@dataclass
class Unparsed:
    """A one-article file read but not yet parsed: parsing (decoding, cleaning, HTML
    extraction) then runs in the import's worker processes instead of the reading one."""

    data: bytes
    origin: str
    format: str


@dataclass
class Unread:
    """A file on disk that the walk found but did not open: a worker reads it, and parses it
    when it holds one article (``app.ingest.sources.read_unread``); otherwise (an archive, a
    list of URLs, a JSON file with many records) the importer walks it in full."""

    path: str
    origin: str
    format: str | None = None  # the format the user forced, if any
    mapping: dict[str, str] | None = None
    given: bool = False  # given by the user, not found in a folder: a list of URLs in it is fetched
    policy: object = None  # the walk's ``app.ingest.sources.UrlPolicy``
