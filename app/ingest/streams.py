"""Streams and containers for the walk in ``app.ingest.sources``: peeking at a stream that cannot
seek, making one seekable (a zip inside a tar), telling containers apart, hidden members."""
from __future__ import annotations

import io
import tarfile
import tempfile
from typing import IO

from app.ingest.readers.common import MAX_RECORD_BYTES, Prefixed, megabytes

__all__ = ["BoundedTarInfo", "container_kind", "gunzipped_name", "hidden", "peek", "seekable"]

# A zip must be seekable; one inside a stream is spooled to disk beyond this size.
_SPOOL_BYTES = 32 * 1024 * 1024


def peek(stream: IO[bytes], size: int) -> tuple[bytes, IO[bytes]]:
    """The first ``size`` bytes, and a stream that still starts at the beginning."""
    if really_seekable(stream):
        start = stream.tell()
        head = stream.read(size)
        stream.seek(start)
        return head, stream
    head = stream.read(size)
    return head, io.BufferedReader(Prefixed(head, stream), buffer_size=64 * 1024)


def really_seekable(stream: IO[bytes]) -> bool:
    """Plain files and memory buffers; a gzip or tar member claims to seek but would rewind."""
    if isinstance(stream, io.BytesIO):
        return True
    return isinstance(stream, (io.BufferedReader, io.BufferedRandom)) and isinstance(stream.raw, io.FileIO)


def seekable(stream: IO[bytes]):
    if really_seekable(stream):
        return _NoClose(stream)
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
    while chunk := stream.read(1024 * 1024):
        spool.write(chunk)
    spool.seek(0)
    return spool


class _NoClose:
    """Context manager that leaves the caller's stream open."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream

    def __enter__(self) -> IO[bytes]:
        return self.stream

    def __exit__(self, *exc) -> None:
        return None


def container_kind(name: str, head: bytes) -> str | None:
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head[257:262] == b"ustar" or (name.lower().endswith(".tar") and len(head) >= 512):
        return "tar"
    return None


def gunzipped_name(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".tgz"):
        return name[:-4] + ".tar"
    if lowered.endswith(".gz"):
        return name[:-3]
    return name


def hidden(inner_path: str) -> bool:
    parts = inner_path.split("/")
    return any(part.startswith(".") and part not in (".", "..") for part in parts) or "__MACOSX" in parts


class BoundedTarInfo(tarfile.TarInfo):
    """tarfile reads a member's extended header (pax, GNU long name) whole, whatever size it
    claims: a 1 MB tar.gz could make it hold 1 GB. Over the record limit, the tar is damaged."""

    _EXTENDED = (tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE, tarfile.GNUTYPE_LONGNAME,
                 tarfile.GNUTYPE_LONGLINK)

    def _proc_member(self, tarfile_):
        if self.type in self._EXTENDED and self.size > MAX_RECORD_BYTES:
            raise tarfile.HeaderError(f"extended header of {self.size:,} bytes, over the {megabytes(MAX_RECORD_BYTES)} limit")
        return super()._proc_member(tarfile_)
