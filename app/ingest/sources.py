"""Walk what the user gave us (files, folders) and yield one record per article.

Every problem with one file becomes a ``Rejected`` naming that file, and the walk goes on:
one unreadable file must never stop an import of thousands.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.ingest.decode import DecodeError, decode_bytes
from app.ingest.record import ArticleRecord, Rejected
from app.ingest.seedtext import parse_seed_text

Item = ArticleRecord | Rejected


def iter_records(
    paths: Iterable[str],
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
) -> Iterator[Item]:
    """Yield an ``ArticleRecord`` per article found under ``paths``, or a ``Rejected``."""
    for path in paths:
        yield from _walk(str(path), fmt, mapping)


def _walk(path: str, fmt: str | None, mapping: dict[str, str] | None) -> Iterator[Item]:
    p = Path(path)
    if p.is_dir():
        for child, origin in _folder_files(p, path):
            yield from _read_file(child, origin, fmt, mapping)
    elif p.exists():
        yield from _read_file(p, path, fmt, mapping)
    else:
        yield Rejected(path, "no such file")


def _folder_files(folder: Path, given: str) -> Iterator[tuple[Path, str]]:
    """Files under ``folder`` in sorted order, skipping hidden files and dot-folders."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            full = Path(root) / name
            yield full, os.path.join(given, str(full.relative_to(folder)))


def _read_file(p: Path, origin: str, fmt: str | None, mapping: dict[str, str] | None) -> Iterator[Item]:
    try:
        data = p.read_bytes()
    except OSError as exc:
        yield Rejected(origin, os_reason(exc))
        return
    yield read_text_item(data, origin)


def read_text_item(data: bytes, origin: str) -> Item:
    """One plain-text seed file → one record."""
    try:
        text = decode_bytes(data)
        record = parse_seed_text(text, origin)
    except DecodeError as exc:
        return Rejected(origin, str(exc) or "not text")
    except Exception as exc:  # one bad file must not stop the walk
        return Rejected(origin, f"could not read: {exc}")
    record.original_bytes = data
    record.format = "text"
    return record


def os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    return exc.strerror.lower() if exc.strerror else str(exc)
