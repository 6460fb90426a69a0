"""Near-duplicate detection: text -> a small fingerprint that groups versions of one story. Pure.

Runs for every imported article inside the worker processes, so it is vectorised and cheap
(about 0.1 ms per 2 KB of text with folding, 0.06 ms given the folded text). What goes in:

* ``minhash``: NUM_PERM MinHash values over word 5-grams of the folded *body*. The title is left
  out on purpose: a reprint under another headline is the same story.
* ``bands``: LSH keys (BANDS bands of ROWS values each). Two articles sharing a key are
  candidates; the store confirms with ``similarity(a, b) >= SAME_STORY``. A body under
  MIN_WORDS words has no bands, so a short teaser or a title-only brief never groups.
* ``paragraphs``: hashes of the normalised paragraphs of at least PARAGRAPH_CHARS characters,
  and ``anchors``: a content-defined sample of the 5-gram hashes. Two stories that share a
  paragraph or two (but not enough shingles to be versions of each other) are "related":
  an exact paragraph in common, or RELATED_ANCHORS anchors in common (a reworded paragraph).

Every hash is stable across processes and runs (no ``hash()``, which is salted per process),
and every integer fits a signed 64-bit SQLite INTEGER (they are all in [0, 2**63)).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from app.search.text import WORD, fold

NUM_PERM = 64
BANDS, ROWS = 21, 3  # P(candidate) = 1 - (1 - J**3)**21: 0.16 at J=0.2, 0.94 at 0.5, 0.99 at 0.6
SHINGLE = 5  # words per shingle
MIN_WORDS = 30  # shorter bodies get no bands: teasers and briefs must not group
PARAGRAPH_CHARS = 80
# Estimated Jaccard of the 5-gram sets at or above which two bodies are one story. Tuned on the
# BBC corpus and the seeds (see tests/test_stories.py and the commit message): reprints and
# wire copy with a changed sentence or an added boilerplate line sit above 0.6; different
# stories that share a paragraph (seeds 000/001) or a BBC template sit below 0.25.
SAME_STORY = 0.5
# "Related" must also catch a shared paragraph that was reworded: seeds 000 and 001 share one
# with a clause moved and a word changed, so their exact paragraph hashes differ; they share 16
# shingles, in runs of up to 12. Winnowing anchors (window ANCHOR_WINDOW shingles, ~58 per BBC
# article) guarantee a shared anchor for each shared run of 16 words; one shared anchor is often
# a stock phrase ("the chief executive of the"), so RELATED_ANCHORS are needed. Seeds 000/001
# share 3 anchors, every other seed pair at most 1; on BBC, 357 pairs of different stories
# share >= 2 (2,493 share >= 1).
ANCHOR_WINDOW = 12
RELATED_ANCHORS = 2

_MASK63 = np.uint64((1 << 63) - 1)
_rng = np.random.Generator(np.random.PCG64(20240401))  # fixed seed: fingerprints must be stable


def _odd_u64(size: int) -> np.ndarray:
    return _rng.integers(0, 2**64 - 1, size=size, dtype=np.uint64, endpoint=True) | np.uint64(1)


_PERM_A32 = (_odd_u64(NUM_PERM) >> np.uint64(32)).astype(np.uint32) | np.uint32(1)
_PERM_B32 = (_odd_u64(NUM_PERM) >> np.uint64(32)).astype(np.uint32)
_SHINGLE_MUL = _odd_u64(SHINGLE)
_BAND_MUL, _BAND_SALT = _odd_u64(ROWS), _odd_u64(BANDS)
# Byte -> random value for the word hash; 0 marks a separator. After fold() Latin text is ASCII,
# and there WORD (``[^\W_]+``) means [a-z0-9]; bytes >= 0x80 (other scripts, in UTF-8) are
# kept as word bytes so Greek or Arabic text still has words.
_BYTE_VALUE = _odd_u64(256)
_BYTE_VALUE[[c for c in range(128) if not WORD.fullmatch(chr(c))]] = 0
_NEWLINE = ord("\n")
_POLY = int(_odd_u64(1)[0])
_POLY_INV = pow(_POLY, -1, 2**64)
_powers = np.ones(1, dtype=np.uint64)
_inverse_powers = np.ones(1, dtype=np.uint64)
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


@dataclass
class Fingerprint:
    minhash: bytes  # NUM_PERM little-endian uint32
    bands: list[int] = field(default_factory=list)
    paragraphs: list[int] = field(default_factory=list)
    anchors: list[int] = field(default_factory=list)


def fingerprint(title: str, body: str, folded: str | None = None, passages: bool = True) -> Fingerprint:
    """The fingerprint of one article. ``title`` is deliberately ignored: the same body under
    another headline is the same story. ``folded``, when the caller already has
    ``fold(body)`` (the indexer computes it), saves folding the text twice. ``passages=False``
    skips paragraph hashes and anchors (the importer only needs the minhash and bands: the
    archive finds related articles with phrase queries when a page asks)."""
    data = (fold(body) if folded is None else folded).encode("utf-8")
    words, starts = _words(data)
    shingles = _shingles(words)
    signature = _minhash(shingles)
    bands = _bands(signature) if len(words) >= MIN_WORDS else []
    if not passages:
        return Fingerprint(signature.astype("<u4").tobytes(), bands)
    return Fingerprint(signature.astype("<u4").tobytes(), bands, _paragraphs(data, words, starts),
                       _anchors(shingles) if len(words) >= MIN_WORDS else [])


# fingerprints() hashes its bodies in blocks of at most this many bytes (one body may be more):
# the (shingles x NUM_PERM) matrix of a block stays within a few tens of MB.
BLOCK_BYTES = 1 << 20


def fingerprints(folded_bodies: list[str]) -> list[Fingerprint]:
    """``fingerprint(title, body, folded, passages=False)`` of many bodies (already folded) at
    once, the same values: the importer's chunks of 64 articles hashed with one numpy pass over
    their bytes, shingles and minhashes instead of one per article (numpy's cost per call was
    most of the fingerprint of a news article)."""
    found: list[Fingerprint] = []
    block: list[bytes] = []
    size = 0
    for text in folded_bodies:
        data = text.encode("utf-8")
        if block and size + len(data) > BLOCK_BYTES:
            found.extend(_block_fingerprints(block))
            block, size = [], 0
        block.append(data)
        size += len(data) + 1
    return found + _block_fingerprints(block) if block else found


def _block_fingerprints(datas: list[bytes]) -> list[Fingerprint]:
    """The bodies joined by spaces (a space is no word's byte, so no word spans two bodies, and
    a word's hash does not depend on where it starts); then each body's words, shingles that
    stay within it, and the minimum of each permutation over its shingles (reduceat)."""
    words, starts = _words(b" ".join(datas))
    lengths = np.fromiter(map(len, datas), dtype=np.int64, count=len(datas))
    offsets = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    first = np.searchsorted(starts, offsets)  # each body's first word
    counts = np.diff(np.append(first, len(words)))
    signatures = np.tile(_EMPTY, (len(datas), 1))
    long = np.flatnonzero(counts >= SHINGLE)
    if len(long):
        owner = np.repeat(np.arange(len(datas)), counts)
        inside = owner[:-SHINGLE + 1] == owner[SHINGLE - 1:]  # the shingle's 5 words in one body
        shingles = _shingles(words)[inside]
        # As _minhash, laid out permutations x shingles: reduceat then runs along contiguous
        # rows (5x faster than along the columns of shingles x permutations).
        hashed = np.multiply(_PERM_A32[:, None], (shingles >> np.uint64(32)).astype(np.uint32)[None, :])
        hashed += _PERM_B32[:, None]
        bounds = np.concatenate(([0], np.cumsum(counts[long] - SHINGLE + 1)[:-1]))
        signatures[long] = np.minimum.reduceat(hashed, bounds, axis=1).T
    for k in np.flatnonzero((counts > 0) & (counts < SHINGLE)).tolist():
        signatures[k] = _minhash(_shingles(words[first[k]:first[k] + counts[k]]))
    banded = counts >= MIN_WORDS
    bands = [[] for _ in datas]
    if banded.any():
        for k, keys in zip(np.flatnonzero(banded).tolist(), _bands_of(signatures[banded]).tolist()):
            bands[k] = keys
    return [Fingerprint(row.tobytes(), keys) for row, keys in zip(signatures.astype("<u4"), bands)]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two bodies' 5-gram sets, from their minhashes."""
    x, y = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    if len(x) != len(y) or not len(x) or (x == 0xFFFFFFFF).all() or (y == 0xFFFFFFFF).all():
        return 0.0  # an empty body is like nothing, not like every other empty body
    return float(np.count_nonzero(x == y)) / len(x)


def is_same_story(a: Fingerprint, b: Fingerprint) -> bool:
    return bool(a.bands) and bool(b.bands) and similarity(a.minhash, b.minhash) >= SAME_STORY


def is_related(a: Fingerprint, b: Fingerprint) -> bool:
    """Different stories that share a long paragraph, exactly or reworded (>= RELATED_ANCHORS
    anchors in common)."""
    if is_same_story(a, b):
        return False
    return (not set(a.paragraphs).isdisjoint(b.paragraphs)
            or len(set(a.anchors).intersection(b.anchors)) >= RELATED_ANCHORS)


def _words(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(hash, start offset) of every word of the folded text, in numpy, no Python loop:
    a polynomial hash from prefix sums, h(word) = sum(value[byte_i] * P**i) mod 2**64."""
    codes = np.frombuffer(b" " + data + b" ", dtype=np.uint8)
    values = _BYTE_VALUE.take(codes)
    is_word = values != 0
    starts = np.flatnonzero(is_word[1:] > is_word[:-1]) + 1
    ends = np.flatnonzero(is_word[1:] < is_word[:-1]) + 1
    powers, inverse = _power_tables(len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, dtype=np.uint64)
    np.cumsum(values * powers[:len(codes)], out=prefix[1:])
    hashes = (prefix[ends] - prefix[starts]) * inverse[starts]
    return hashes, starts - 1


def _power_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    global _powers, _inverse_powers
    if len(_powers) < n:  # grows to the longest text seen, by doubling
        size = max(n, 2 * len(_powers), 1 << 14)
        one = np.ones(1, dtype=np.uint64)
        _powers = np.concatenate((one, np.cumprod(np.full(size - 1, _POLY, dtype=np.uint64))))
        _inverse_powers = np.concatenate((one, np.cumprod(np.full(size - 1, _POLY_INV, dtype=np.uint64))))
    return _powers, _inverse_powers


def _shingles(word_hashes: np.ndarray) -> np.ndarray:
    """5-gram hash = sum of word hash x position multiplier (mod 2**64): vectorised, order-aware."""
    n = len(word_hashes)
    if n < SHINGLE:  # a very short body is one shingle: it still matches itself exactly
        return (word_hashes * _SHINGLE_MUL[:n]).sum(dtype=np.uint64, keepdims=True) if n else word_hashes
    count = n - SHINGLE + 1
    shingles = word_hashes[:count] * _SHINGLE_MUL[0]
    for i in range(1, SHINGLE):
        shingles += word_hashes[i:i + count] * _SHINGLE_MUL[i]
    return shingles


def _anchors(shingles: np.ndarray) -> list[int]:
    """Winnowing (Schleimer et al., 2003): the smallest shingle hash of every window of
    ANCHOR_WINDOW consecutive shingles. Any passage of ANCHOR_WINDOW + 4 words that two texts
    share gives both the same anchor, whatever surrounds it."""
    values = shingles & _MASK63
    if len(values) <= ANCHOR_WINDOW:
        return np.unique(values).tolist()
    windows = sliding_window_view(values, ANCHOR_WINDOW)
    picked = windows.argmin(axis=1) + np.arange(len(windows))
    return np.unique(values[picked]).tolist()


def _minhash(shingles: np.ndarray) -> np.ndarray:
    if len(shingles) == 0:
        return _EMPTY.copy()
    # One multiply-add hash per permutation (mod 2**32) over every shingle at once
    # (shingles x NUM_PERM): uint32 halves the memory traffic of uint64, the cost that matters
    # here; the estimates match exact Jaccard within the error of 64 permutations (tested).
    hashed = np.multiply((shingles >> np.uint64(32)).astype(np.uint32)[:, None], _PERM_A32)
    hashed += _PERM_B32
    return hashed.min(axis=0)


def _bands(signature: np.ndarray) -> list[int]:
    return _bands_of(signature[None, :])[0].tolist()


def _bands_of(signatures: np.ndarray) -> np.ndarray:
    """The LSH keys of each row of minhashes (rows x BANDS)."""
    rows = signatures[:, :BANDS * ROWS].astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    keys = (rows * _BAND_MUL).sum(axis=2, dtype=np.uint64) + _BAND_SALT
    keys ^= keys >> np.uint64(29)  # mix the high bits down before dropping the top one
    keys *= np.uint64(0xBF58476D1CE4E5B9)
    keys ^= keys >> np.uint64(32)
    return keys & _MASK63


def _paragraphs(data: bytes, words: np.ndarray, starts: np.ndarray) -> list[int]:
    """63-bit hashes of the paragraphs (text between line breaks) of >= PARAGRAPH_CHARS
    characters: the hash of their word hashes, so spacing and punctuation do not matter."""
    if _NEWLINE not in data:
        bounds = [(0, len(data))]
    else:
        cuts = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == _NEWLINE)
        bounds = zip(np.concatenate(([0], cuts + 1)).tolist(), np.append(cuts, len(data)).tolist())
    found = set()
    for begin, end in bounds:
        if end - begin < PARAGRAPH_CHARS:
            continue
        first, last = np.searchsorted(starts, (begin, end)).tolist()
        if last - first >= 2:
            digest = hashlib.blake2b(words[first:last].tobytes(), digest_size=8).digest()
            found.add(int.from_bytes(digest, "little") >> 1)
    return sorted(found)
