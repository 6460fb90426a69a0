"""Near-duplicate detection: text -> a small fingerprint that groups versions of one story. Pure.

Runs for every imported article inside the worker processes, so it is vectorised and cheap
(about 0.05 ms for a 2 KB article). What goes in:

* ``minhash``: NUM_PERM MinHash values over word 5-grams of the folded *body*. The title is left
  out on purpose: a reprint under another headline is the same story.
* ``bands``: LSH keys (BANDS bands of ROWS values each). Two articles sharing a key are
  candidates; the store confirms with ``similarity(a, b) >= SAME_STORY``. A body under
  MIN_WORDS words has no bands, so a short teaser or a title-only brief never groups.
* ``paragraphs``: hashes of the normalised paragraphs of at least PARAGRAPH_CHARS characters.
  Two stories that share a paragraph or two (but not enough shingles to be versions of each
  other) are shown as "related".

Every hash is stable across processes and runs (no ``hash()``, which is salted per process),
and every integer fits a signed 64-bit SQLite INTEGER (they are all in [0, 2**63)).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

from app.search.text import WORD, fold

NUM_PERM = 64
BANDS, ROWS = 16, 4  # P(candidate) = 1 - (1 - J**4)**16: 0.03 at J=0.2, 0.64 at 0.5, 0.9998 at 0.8
SHINGLE = 5  # words per shingle
MIN_WORDS = 30  # shorter bodies get no bands: teasers and briefs must not group
PARAGRAPH_CHARS = 80
# Estimated Jaccard of the 5-gram sets at or above which two bodies are one story. Tuned on the
# BBC corpus and the seeds (see tests/test_stories.py and the commit message): reprints and
# wire copy with a changed sentence or an added boilerplate line sit above 0.6; different
# stories that share a paragraph (seeds 000/001) or a BBC template sit below 0.25.
SAME_STORY = 0.5

_MASK63 = np.uint64((1 << 63) - 1)
_rng = np.random.Generator(np.random.PCG64(20240401))  # fixed: fingerprints must be stable
_PERM_A = _rng.integers(1, 2**64 - 1, size=NUM_PERM, dtype=np.uint64, endpoint=True) | np.uint64(1)
_PERM_B = _rng.integers(0, 2**64 - 1, size=NUM_PERM, dtype=np.uint64, endpoint=True)
_SHINGLE_MUL = _rng.integers(1, 2**64 - 1, size=SHINGLE, dtype=np.uint64, endpoint=True) | np.uint64(1)
_BAND_MUL = _rng.integers(1, 2**64 - 1, size=ROWS, dtype=np.uint64, endpoint=True) | np.uint64(1)
_BAND_SALT = _rng.integers(0, 2**64 - 1, size=BANDS, dtype=np.uint64, endpoint=True)
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)

# Paragraph breaks: blank lines (seed and BBC files), or single newlines in other readers.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")

# word -> stable 64-bit hash. News vocabulary repeats, so a dict lookup replaces most hashing;
# bounded so a long import cannot grow it without limit.
_WORD_HASH: dict[str, int] = {}
_WORD_HASH_MAX = 400_000


@dataclass
class Fingerprint:
    minhash: bytes  # NUM_PERM little-endian uint32
    bands: list[int] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)


def fingerprint(title: str, body: str) -> Fingerprint:
    """The fingerprint of one article. ``title`` is accepted for the call sites' symmetry and
    deliberately ignored: the same body under another headline must be the same story."""
    words = WORD.findall(fold(body))
    signature = _minhash(_word_hashes(words))
    bands = _bands(signature) if len(words) >= MIN_WORDS else []
    return Fingerprint(signature.astype("<u4").tobytes(), bands, paragraph_hashes(body))


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two bodies' 5-gram sets, from their minhashes."""
    x, y = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    if len(x) != len(y) or not len(x) or (x == 0xFFFFFFFF).all() or (y == 0xFFFFFFFF).all():
        return 0.0  # an empty body is like nothing, not like every other empty body
    return float(np.count_nonzero(x == y)) / len(x)


def is_same_story(a: Fingerprint, b: Fingerprint) -> bool:
    return bool(a.bands) and bool(b.bands) and similarity(a.minhash, b.minhash) >= SAME_STORY


def is_related(a: Fingerprint, b: Fingerprint) -> bool:
    """Different stories that share at least one long paragraph."""
    return not is_same_story(a, b) and not set(a.paragraphs).isdisjoint(b.paragraphs)


def paragraph_hashes(body: str) -> list[int]:
    """63-bit hashes of the normalised (folded, words only) paragraphs of >= PARAGRAPH_CHARS."""
    found = []
    for paragraph in _PARAGRAPH_BREAK.split(body):
        if len(paragraph) < PARAGRAPH_CHARS:
            continue
        normal = " ".join(WORD.findall(fold(paragraph)))
        if len(normal) >= PARAGRAPH_CHARS:
            found.append(_hash63(normal))
    return sorted(set(found))


def _hash63(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little") >> 1


def _word_hashes(words: list[str]) -> np.ndarray:
    cache = _WORD_HASH
    try:
        values = list(map(cache.__getitem__, words))
    except KeyError:
        if len(cache) > _WORD_HASH_MAX:
            cache.clear()
        for word in set(words).difference(cache):
            cache[word] = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
        values = list(map(cache.__getitem__, words))
    return np.array(values, dtype=np.uint64)


def _minhash(word_hashes: np.ndarray) -> np.ndarray:
    n = len(word_hashes)
    if n == 0:
        return _EMPTY.copy()
    if n < SHINGLE:  # a very short body is one shingle: it still matches itself exactly
        shingles = (word_hashes * _SHINGLE_MUL[:n]).sum(dtype=np.uint64, keepdims=True)
    else:
        # 5-gram hash = sum of word hash x position multiplier (mod 2**64): vectorised, order-aware.
        count = n - SHINGLE + 1
        shingles = word_hashes[:count] * _SHINGLE_MUL[0]
        for i in range(1, SHINGLE):
            shingles += word_hashes[i:i + count] * _SHINGLE_MUL[i]
        shingles = np.unique(shingles)
    # One multiply-shift hash per permutation, over every shingle at once (shingles x NUM_PERM).
    hashed = (shingles[:, None] * _PERM_A[None, :] + _PERM_B[None, :]) >> np.uint64(32)
    return hashed.min(axis=0).astype(np.uint32)


def _bands(signature: np.ndarray) -> list[int]:
    rows = signature.astype(np.uint64).reshape(BANDS, ROWS)
    keys = (rows * _BAND_MUL).sum(axis=1, dtype=np.uint64) + _BAND_SALT
    keys ^= keys >> np.uint64(29)  # mix the high bits down before dropping the top one
    keys *= np.uint64(0xBF58476D1CE4E5B9)
    keys ^= keys >> np.uint64(32)
    return (keys & _MASK63).tolist()
