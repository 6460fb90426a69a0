"""Walk what the user gave us (files, folders, archives, URLs) and yield one item per article.

Every problem with one file, record or URL becomes a ``Rejected`` naming it, and the walk
goes on: one unreadable file must never stop an import of thousands. Archives are read as
streams (tar in streaming mode, gzip member by member), so memory stays flat however large
the archive; the readers themselves are in ``app.ingest.readers``.

Origins: ``path/as/given/inner.txt`` inside folders, ``archive.tar.gz!bbc/business/001.txt``
inside containers (nested: ``a.zip!b.tar!c.txt``), the URL for fetched pages.
"""
from __future__ import annotations

import gzip
import io
import os
import posixpath
import re
import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from app.ingest.fetch import Fetcher, FetchError
from app.ingest.readers import FORMATS, detect_format, format_of_name, read_file, size_limit, sniff_format
from app.ingest.readers.common import MAX_RECORD_BYTES, bounded_lines, megabytes, too_big
from app.ingest.readers.html import read_html
from app.ingest.notarticle import name_reason
from app.ingest.record import ArticleRecord, Rejected, Unparsed, Unread
from app.ingest.streams import BoundedTarInfo, container_kind, gunzipped_name, hidden, peek, seekable

Item = ArticleRecord | Rejected

__all__ = ["iter_records", "os_reason", "prefetch", "read_unread", "walk_unread"]

# Archives inside archives inside ...: deeper than this is a zip bomb, not an import.
MAX_DEPTH = 8
_PEEK = 4096
_URL = re.compile(r"^https?://", re.IGNORECASE)
# Reading errors that mean a damaged file or archive, not a bug in a reader.
_DAMAGE = (OSError, EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile, UnicodeDecodeError)
_CONTENT_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/rss+xml": "rss", "application/atom+xml": "rss", "application/rdf+xml": "rss",
    "application/json": "json", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
    "text/csv": "csv", "application/warc": "warc", "text/markdown": "markdown",
}


def iter_records(
    paths: Iterable[str],
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    *,
    fetcher: Fetcher | None = None,
    defer_parse: bool = False,
    follow_url_lists: bool = False,
    allow_private: bool = False,
) -> Iterator[Item]:
    """Yield an ``ArticleRecord`` per article found under ``paths``, or a ``Rejected``.

    ``fmt`` forces the reader for every file (containers are still opened); ``mapping``
    is ``{our_field: their_column}`` for JSON and CSV. URLs are fetched with ``fetcher``
    (one is made, and closed, when needed). With ``defer_parse``, one-article files come
    out as ``Unparsed`` for the caller to parse (in parallel): see ``app.ingest.load``.

    Imported data never makes us fetch on its own: a list of URLs is fetched when it is one of
    ``paths`` (or with ``follow_url_lists``), not when it lies in a folder or an archive; and
    non-public addresses are refused unless ``allow_private`` (``Fetcher``).
    """
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    if isinstance(paths, str):
        paths = [paths]  # one path given bare, not a string to iterate character by character
    walker = _Walker(fmt, mapping, fetcher, UrlPolicy(follow_url_lists, allow_private))
    walker.defer_parse = defer_parse
    try:
        for path in paths:
            yield from walker.walk(str(path))
    finally:
        walker.close()


@dataclass(frozen=True)
class UrlPolicy:
    follow_url_lists: bool = False  # fetch lists of URLs found in folders and archives too
    allow_private: bool = False  # fetch loopback, private and link-local addresses


class _Walker:
    def __init__(self, fmt: str | None, mapping: dict[str, str] | None, fetcher: Fetcher | None,
                 policy: UrlPolicy = UrlPolicy()):
        self.fmt = fmt
        self.mapping = mapping
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None
        self.defer_parse = False
        self.policy = policy
        self.given: set[str] = set()  # origins of the files given by the user (not found in folders)

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(allow_private=self.policy.allow_private)
        return self._fetcher

    # -- paths ---------------------------------------------------------------------------------

    def walk(self, path: str) -> Iterator[Item]:
        if _URL.match(path):
            yield from self.read_url(path)
            return
        p = Path(path)
        if p.is_dir():
            for child, origin in _folder_files(p, path):
                if isinstance(child, Rejected):
                    yield child  # a folder that cannot be listed
                else:
                    yield from self.read_path(child, origin)
        elif p.exists():
            self.given.add(path)
            yield from self.read_path(p, path)
        else:
            yield Rejected(path, "no such file")

    def read_path(self, p: Path, origin: str) -> Iterator[Item]:
        skip = _skip_reason(p.name)
        if skip:
            yield Rejected(origin, skip, skipped=True)
            return
        if self.defer_parse and (self.fmt or format_of_name(p.name)) in DEFERRABLE:
            # opened by a worker
            yield Unread(str(p), origin, self.fmt, self.mapping, origin in self.given, self.policy)
            return
        try:
            stream = open(p, "rb")
        except OSError as exc:
            yield Rejected(origin, os_reason(exc))
            return
        with stream:
            yield from self.read_stream(stream, p.name, origin, 0, self.fmt)

    # -- streams: containers or one file ------------------------------------------------------

    def read_stream(self, stream: IO[bytes], name: str, origin: str, depth: int, fmt: str | None) -> Iterator[Item]:
        """One file or container; ``fmt`` forces the reader of the files (not of containers)."""
        try:
            head, stream = peek(stream, _PEEK)
        except _DAMAGE as exc:
            yield Rejected(origin, _damage_reason("file", exc))
            return
        kind = container_kind(name, head)
        if kind and depth >= MAX_DEPTH:
            yield Rejected(origin, f"archives nested more than {MAX_DEPTH} deep")
        elif kind:
            yield from _guarded(self._container(kind, stream, name, origin, depth, fmt), origin, kind)
        else:
            fmt = fmt or detect_format(name, head)
            if fmt == "urls" and _URL.match(origin):
                fmt = "text"  # a fetched page that lists URLs is not followed: no crawling
            if fmt == "urls" and not (origin in self.given or self.policy.follow_url_lists):
                yield Rejected(origin, "skipped: a list of URLs inside a folder or archive is not fetched (give it"
                                       " on the command line, or --follow-url-lists)", skipped=True)
            elif fmt == "urls":
                yield from _guarded(self.read_url_list(stream, origin), origin, "list of URLs")
            elif self.defer_parse and fmt in DEFERRABLE:
                yield from _guarded(_unparsed(stream, origin, fmt), origin, f"{fmt} file")
            else:
                yield from _guarded(read_file(stream, origin, fmt, self.mapping), origin, f"{fmt} file")

    def _container(
        self, kind: str, stream: IO[bytes], name: str, origin: str, depth: int, fmt: str | None
    ) -> Iterator[Item]:
        if kind == "gzip":
            inner = gzip.GzipFile(fileobj=stream, mode="rb")
            yield from self.read_stream(inner, gunzipped_name(name), origin, depth + 1, fmt)
        elif kind == "tar":
            yield from self._tar(stream, origin, depth, fmt)
        else:
            yield from self._zip(stream, origin, depth, fmt)

    def _tar(self, stream: IO[bytes], origin: str, depth: int, fmt: str | None) -> Iterator[Item]:
        # Streaming mode ("r|"): members in archive order, each read once, never seeking back.
        with tarfile.open(fileobj=stream, mode="r|", tarinfo=BoundedTarInfo) as archive:
            yield from _or_empty(self._tar_members(archive, origin, depth, fmt), origin)

    def _tar_members(self, archive: tarfile.TarFile, origin: str, depth: int, fmt: str | None) -> Iterator[Item]:
        for member in archive:
            if not member.isfile() or hidden(member.name):
                continue
            inner_origin = f"{origin}!{member.name}"
            if skipped := _skipped_member(inner_origin, member.name):
                yield skipped
                continue
            data = archive.extractfile(member)
            yield from self.read_stream(data, member.name, inner_origin, depth + 1, fmt)

    def _zip(self, stream: IO[bytes], origin: str, depth: int, fmt: str | None) -> Iterator[Item]:
        with seekable(stream) as spooled, zipfile.ZipFile(spooled) as archive:
            yield from _or_empty(self._zip_members(archive, origin, depth, fmt), origin)

    def _zip_members(self, archive: zipfile.ZipFile, origin: str, depth: int, fmt: str | None) -> Iterator[Item]:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or hidden(info.filename):
                continue
            inner_origin = f"{origin}!{info.filename}"
            if skipped := _skipped_member(inner_origin, info.filename):
                yield skipped
                continue
            try:
                member = archive.open(info)
            except (RuntimeError, NotImplementedError, zipfile.BadZipFile) as exc:
                yield Rejected(inner_origin, f"cannot open in the zip archive: {exc}")
                continue
            with member:
                yield from self.read_stream(member, info.filename, inner_origin, depth + 1, fmt)

    # -- URLs ----------------------------------------------------------------------------------

    def read_url(self, url: str) -> Iterator[Item]:
        try:
            fetched = self.fetcher.fetch(url)
        except FetchError as exc:
            yield Rejected(url, exc.reason)
            return
        # A list of URLs names pages; its "urls" format is not theirs.
        forced = self.fmt if self.fmt != "urls" else None
        fmt = forced or _CONTENT_TYPES.get(fetched.content_type)
        if fmt is None and not container_kind("", fetched.data[:_PEEK]):
            fmt = sniff_format(fetched.data[:_PEEK])
        if fmt == "html":
            if len(fetched.data) > size_limit("html"):
                yield too_big(url, "html", size_limit("html"))
            else:
                yield read_html(fetched.data, url, url=fetched.url, charset=fetched.charset)
            return
        name = posixpath.basename(urlsplit(fetched.url).path) or "index"
        for item in self.read_stream(io.BytesIO(fetched.data), name, url, 0, fmt):
            if isinstance(item, ArticleRecord) and item.url is None:
                item.url = fetched.url
            yield item

    def read_url_list(self, stream: IO[bytes], origin: str) -> Iterator[Item]:
        for number, raw in enumerate(bounded_lines(stream), 1):
            if raw is None:
                yield Rejected(f"{origin}:{number}", f"line longer than the {megabytes(MAX_RECORD_BYTES)} limit")
                continue
            line = raw.decode("utf-8", errors="replace").strip()
            if not line or line.startswith("#"):
                continue
            if _URL.match(line):
                yield from self.read_url(line)
            else:
                yield Rejected(f"{origin}:{number}", "not an http(s) URL")


# -- helpers -------------------------------------------------------------------------------------


# One-article formats whose parsing can run in worker processes.
DEFERRABLE = frozenset({"text", "markdown", "html"})


def prefetch(items: list[Unread]) -> None:
    """Ask the kernel for a chunk's files all at once before reading them one by one: from a cold
    disk cache, 100k files import in 58.9 s instead of 65.5 s. A file that cannot be opened is
    left for ``read_unread`` to report."""
    for item in items:
        try:
            fd = os.open(item.path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except (OSError, AttributeError):  # AttributeError: a system without posix_fadvise
            pass
        finally:
            os.close(fd)


def read_unread(item: Unread) -> Unparsed | Rejected | None:
    """Open a file the walk deferred: its bytes as ``Unparsed`` when it holds one article, a
    ``Rejected`` when it cannot be read, None when it must be walked in full (``walk_unread``):
    an archive, a list of URLs, or a file whose first bytes show another format."""
    try:
        with open(item.path, "rb") as stream:
            head = stream.read(_PEEK)
            name = os.path.basename(item.path)
            fmt = None if container_kind(name, head) else item.format or detect_format(name, head)
            if fmt not in DEFERRABLE:
                return None
            data = head + stream.read(size_limit(fmt) + 1 - len(head))
    except OSError as exc:
        return Rejected(item.origin, os_reason(exc))
    if len(data) > size_limit(fmt):
        return too_big(item.origin, fmt, size_limit(fmt))
    return Unparsed(data, item.origin, fmt)


def walk_unread(item: Unread) -> Iterator[Item]:
    """Every item of a deferred file that is not one article (``read_unread`` gave None)."""
    walker = _Walker(item.format, item.mapping, None, item.policy or UrlPolicy())
    if item.given:
        walker.given.add(item.origin)
    try:
        yield from walker.read_path(Path(item.path), item.origin)
    finally:
        walker.close()


def _unparsed(stream: IO[bytes], origin: str, fmt: str) -> Iterator[Item]:
    data = stream.read(size_limit(fmt) + 1)
    if len(data) > size_limit(fmt):
        yield too_big(origin, fmt, size_limit(fmt))
    else:
        yield Unparsed(data, origin, fmt)


def _folder_files(folder: Path, given: str) -> Iterator[tuple[Path | Rejected, str]]:
    """Files under ``folder`` in sorted order, skipping hidden files and dot-folders; a folder
    that cannot be listed (``chmod 000``) comes out as a ``Rejected``, never silently left out."""
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        yield from _unlisted(errors, folder, given)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            full = Path(root) / name
            yield full, os.path.join(given, str(full.relative_to(folder)))
    yield from _unlisted(errors, folder, given)  # the given folder itself, or the last one listed


def _or_empty(items: Iterator[Item], origin: str) -> Iterator[Item]:
    """``items``, or one rejection saying the archive holds no files: never silence."""
    empty = True
    for item in items:
        empty = False
        yield item
    if empty:
        yield Rejected(origin, "the archive holds no files")


def _unlisted(errors: list[OSError], folder: Path, given: str) -> Iterator[tuple[Rejected, str]]:
    while errors:
        exc = errors.pop(0)
        where = os.path.join(given, os.path.relpath(exc.filename, folder)) if exc.filename else given
        yield Rejected(os.path.normpath(where), f"folder not read: {os_reason(exc)}"), where


def _guarded(items: Iterator[Item], origin: str, what: str) -> Iterator[Item]:
    """Turn a damaged file or archive into one ``Rejected`` (after what could be read)."""
    try:
        yield from items
    except _DAMAGE as exc:
        yield Rejected(origin, _damage_reason(what, exc))
    except Exception as exc:  # a reader's bug on one file must not stop the import (tests fuzz for these)
        yield Rejected(origin, f"could not read the {what}: {type(exc).__name__}: {exc}")


def _damage_reason(what: str, exc: BaseException) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, gzip.BadGzipFile) and exc.errno:
        return os_reason(exc)
    detail = str(exc) or type(exc).__name__
    return f"corrupt or truncated {what}: {detail}"


def _skipped_member(inner_origin: str, name: str) -> Rejected | None:
    """The report line of an archive member skipped by its name (documentation, code), if it is."""
    reason = _skip_reason(posixpath.basename(name))
    return Rejected(inner_origin, reason, skipped=True) if reason else None


def _skip_reason(name: str) -> str | None:
    return name_reason(name)


def os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    return exc.strerror.lower() if exc.strerror else str(exc)
