"""Lists of strings as one numpy byte array, for index files saved beside the archive: each value
UTF-8 encoded and ended by NUL. No pickle (np.load refuses it), no fixed-width padding."""
from __future__ import annotations

import numpy as np


def pack(values) -> np.ndarray:
    return np.frombuffer("".join(v + "\0" for v in values).encode("utf-8"), dtype=np.uint8)


def unpack(buffer: np.ndarray) -> list[str]:
    return buffer.tobytes().decode("utf-8").split("\0")[:-1]


class SortedStrings:
    """A sorted list of strings kept as two arrays (the UTF-8 bytes, NUL-free, and where each
    string starts), so that it can be saved as .npy files and memory-mapped: server processes
    then share one copy in the page cache instead of each holding millions of Python strings.
    Looked up by bisection (UTF-8 byte order is code point order, which is ``sorted``'s)."""

    def __init__(self, buffer: np.ndarray, offsets: np.ndarray):
        self.buffer, self.offsets = buffer, offsets

    @classmethod
    def of(cls, values) -> "SortedStrings":
        encoded = [v.encode("utf-8") for v in sorted(set(values))]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.buffer[self.offsets[i]:self.offsets[i + 1]].tobytes().decode("utf-8")

    def index(self, value: str) -> int:
        """Position of ``value``, or -1."""
        from bisect import bisect_left

        at = bisect_left(self, value)
        return at if at < len(self) and self[at] == value else -1

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self.index(value) >= 0

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SortedStrings) and np.array_equal(self.offsets, other.offsets) \
            and np.array_equal(self.buffer, other.buffer)

    __hash__ = None
