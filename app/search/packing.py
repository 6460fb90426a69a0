"""Lists of strings as one numpy byte array, for index files saved beside the archive: each value
UTF-8 encoded and ended by NUL. No pickle (np.load refuses it), no fixed-width padding."""
from __future__ import annotations

import numpy as np


def pack(values) -> np.ndarray:
    return np.frombuffer("".join(v + "\0" for v in values).encode("utf-8"), dtype=np.uint8)


def unpack(buffer: np.ndarray) -> list[str]:
    return buffer.tobytes().decode("utf-8").split("\0")[:-1]
