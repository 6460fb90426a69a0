"""Bytes → text for every reader: UTF-8 (with or without BOM), else Windows-1252, else Latin-1.

The output always has ``\\n`` newlines and NFC-normalised Unicode, so that hashing, FTS and the
line classifiers downstream see one spelling of "é" and one kind of line break.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = ["DecodeError", "decode_bytes"]

# C0 controls other than tab, LF, VT, FF, CR (and DEL): rare in real text, common in binaries.
_CONTROL_BYTES = bytes(i for i in range(32) if i not in (9, 10, 11, 12, 13)) + b"\x7f"
# Above this share of control bytes in the sample, the file is not text.
_MAX_CONTROL_SHARE = 0.05
_SAMPLE = 8192
_NEWLINES = re.compile(r"\r\n?")


class DecodeError(ValueError):
    """The bytes are not a readable text article; ``reason`` is for a human."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def decode_bytes(data: bytes) -> str:
    """Decode an article file; raise ``DecodeError`` for empty or binary data."""
    _check_is_text(data)
    text = _decode(data)
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise DecodeError("empty file")
    return text


def _check_is_text(data: bytes) -> bool:
    if not data.strip():
        raise DecodeError("empty file")
    if b"\x00" in data:
        # UTF-16/32 would also contain NULs; we do not accept them as article text.
        raise DecodeError("binary file (not text)")
    sample = data[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise DecodeError("binary file (not text)")
    return True


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90, 0x9D undefined: those files fall to Latin-1.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")
