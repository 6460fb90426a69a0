"""“Did you mean”: the closest word of the archive to a query word that matches nothing.

    vocab = vocabulary_from_fts(conn)          # once per archive generation (~1 s, see below)
    vocab.known("hamouchi")                     # False: no indexed stem for it
    vocab.suggest("hamouchi")                   # "hammouchi"

Candidates are found with a SymSpell-style index of deletions (https://github.com/wolfgarbe/SymSpell):
two words within Damerau-Levenshtein distance k share a string obtained by deleting at most k
letters from each. Every word's deletions (of its first PREFIX letters, at most 2 letters
deleted) are hashed to 32 bits and kept in two sorted numpy arrays (~8 bytes per deletion,
~60 MB for 300k words, built in ~1 s); a lookup hashes the query's own deletions the same way,
takes the words sharing one, and checks the true distance on those few only. A hash
collision only adds a candidate, which the distance check drops.

Stems and surface words. The FTS5 index holds stems (``security`` -> ``secur``,
``terrorisme`` -> ``terror``), which a user should not be told to type, and a typo often
breaks the stemmer's suffix rules (``secuirty`` -> ``secuirti``), so suggestions are chosen
among surface words. ``vocabulary_from_fts`` reads each stem's document frequency from an
``fts5vocab`` table, then learns which surface words produce each stem by re-reading the
newest articles (title and body, folded and stemmed exactly as the importer does) up to a
character budget; each surface word gets its stem's document frequency, the number of
articles a search for it finds. A stem that no scanned article produced (a rare word of an
old article) is offered as itself only when it is a fixed point of a stemmer (stemming it
gives it back): such a stem is a word the user can type and find, and for the rare words
typos matter most in, names like ``hammouchi``, it is the word as written. Some fixed points
are truncations (``secur``), still found by a search; with the default budget common words
are always seen in the scan, so this fallback only serves words of older articles.
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from itertools import combinations
from typing import Iterable

import numpy as np

from app.search.packing import SortedStrings, load_folder, save_folder
from app.search.text import QUERY_LANGUAGES, WORD, fold, stem_words, variants

PREFIX = 7  # letters of a word whose deletions are indexed (SymSpell's prefix length)
MIN_LENGTH = 3  # shorter words have too many neighbours to guess from
SCAN_CHARS = 20_000_000  # characters of the newest articles read to learn surface words (~1.5 s)
FORMS_PER_STEM = 3  # surface words kept per stem, most frequent first
_MULT = np.uint64(1_000_003)
SAVED_LAYOUT = 2  # 2: a folder of memory-mapped .npy files. Bump when they change: older ones are rebuilt
_SAVED = ("words_buffer", "words_offsets", "df", "stems_buffer", "stems_offsets", "keys", "word_ids", "lengths")


def max_distance(word: str) -> int:
    """Edits allowed between a query word and a suggestion: 1 up to 5 letters, else 2."""
    return 1 if len(word) <= 5 else 2


def distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: adjacent swaps cost 1);
    anything above `limit` is returned as limit + 1, and computed no further."""
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if abs(la - lb) > limit:
        return limit + 1
    before = None
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        ca = a[i - 1]
        best = i
        for j in range(1, lb + 1):
            cb = b[j - 1]
            cost = 0 if ca == cb else 1
            d = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                d = min(d, before[j - 2] + 1)
            cur[j] = d
            if d < best:
                best = d
        if best > limit:
            return limit + 1
        before, prev = prev, cur
    return min(prev[lb], limit + 1)


def distances(word: str, others: list[str]) -> np.ndarray:
    """distance(word, other) for many others at once: the dynamic programme runs row by row
    over `word`, each row for every other word in a few numpy operations (the insertion
    term is a running minimum), so 1,000 candidates cost about 1 ms, not 20."""
    q = [ord(ch) for ch in word]
    width = max(map(len, others))
    joined = "".join(o.ljust(width, "\0") for o in others)
    b = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).reshape(len(others), width)
    lengths = np.fromiter(map(len, others), dtype=np.int64, count=len(others))
    steps = np.arange(width + 1, dtype=np.int16)
    prev2 = None
    prev = np.broadcast_to(steps, (len(others), width + 1)).copy()
    for i in range(1, len(q) + 1):
        base = np.empty_like(prev)
        base[:, 0] = i
        base[:, 1:] = np.minimum(prev[:, :-1] + (b != q[i - 1]), prev[:, 1:] + 1)
        if prev2 is not None and width > 1:
            swap = (b[:, 1:] == q[i - 2]) & (b[:, :-1] == q[i - 1])
            base[:, 2:] = np.where(swap, np.minimum(base[:, 2:], prev2[:, :-2] + 1), base[:, 2:])
        # cur[j] = min(base[j], cur[j-1] + 1) = min over t <= j of base[t] + (j - t)
        cur = np.minimum.accumulate(base - steps, axis=1) + steps
        prev2, prev = prev, cur
    return prev[np.arange(len(others)), lengths]


def _codes(words: list[str]) -> np.ndarray:
    """Each word's first PREFIX letters as code points, zero-padded: an (n, PREFIX) array."""
    joined = "".join(w[:PREFIX].ljust(PREFIX, "\0") for w in words)
    return np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).reshape(len(words), PREFIX).astype(np.uint64)


_DELETIONS = {k: [c for n in range(k + 1) for c in combinations(range(PREFIX), n)] for k in (1, 2)}


def _deletion_keys(codes: np.ndarray, k: int) -> np.ndarray:
    """(n, m) 32-bit hashes of each row with every set of at most k positions deleted.

    Padding contributes nothing to the hash, so deleting a padding position gives a shorter
    deletion of the same word: a duplicate, harmless."""
    out = np.empty((len(codes), len(_DELETIONS[k])), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for col, deleted in enumerate(_DELETIONS[k]):
            h = np.full(len(codes), 1469598103, dtype=np.uint64)
            for pos in range(PREFIX):
                if pos not in deleted:
                    c = codes[:, pos]
                    h = np.where(c != 0, h * _MULT + c, h)
            out[:, col] = (h ^ (h >> np.uint64(29))).astype(np.uint32)
    return out


class Vocabulary:
    """Surface words of the archive with their document frequencies, for “did you mean”.

    ``words``: (folded word, document frequency) pairs; a repeated word keeps its highest df.
    ``stems``: the stems the full-text index holds, for ``known()``; empty means “check the
    words only”.
    """

    def __init__(self, words: Iterable[tuple[str, int]], stems: Iterable[str] = ()):
        best: dict[str, int] = {}
        for word, df in words:
            if len(word) >= 1 and df > best.get(word, 0):
                best[word] = int(df)
        # Sorted, and kept as arrays (app/search/packing.py): saved, they are memory-mapped, so
        # the server's processes share them (a million articles: ~2M words and stems).
        self.words = SortedStrings.of(best)
        self.df = np.fromiter((best[w] for w in self.words), dtype=np.int64, count=len(best))
        self.stems = SortedStrings.of(stems)
        words_list = list(self.words)
        keys = _deletion_keys(_codes(words_list), 2) if words_list else np.empty((0, 1), np.uint32)
        pairs = ((keys.astype(np.uint64) << np.uint64(32))
                 | np.arange(len(words_list), dtype=np.uint64)[:, None]).ravel()
        pairs.sort()  # np.unique is 50x slower here (numpy 2 hashes); sort, then drop repeats
        pairs = pairs[np.concatenate((np.ones(min(len(pairs), 1), dtype=bool), pairs[1:] != pairs[:-1]))]
        self._keys = (pairs >> np.uint64(32)).astype(np.uint32)
        self._word_ids = (pairs & np.uint64(0xFFFFFFFF)).astype(np.int32)
        self._lengths = np.fromiter(map(len, words_list), dtype=np.int16, count=len(words_list))

    def save(self, path: str, key: str) -> None:
        """Write the vocabulary beside the archive (a folder of .npy files, replaced whole), for
        the next start to memory-map."""
        save_folder(path, {"words_buffer": self.words.buffer, "words_offsets": self.words.offsets, "df": self.df,
                           "stems_buffer": self.stems.buffer, "stems_offsets": self.stems.offsets,
                           "keys": self._keys, "word_ids": self._word_ids, "lengths": self._lengths},
                    {"layout": SAVED_LAYOUT, "key": key})

    @classmethod
    def load(cls, path: str) -> "tuple[str, Vocabulary] | None":
        """(the archive state it was built at, the vocabulary) saved at ``path``, memory-mapped;
        None when absent, damaged or of an older layout."""
        found = load_folder(path, _SAVED, SAVED_LAYOUT)
        if found is None:
            return None
        meta, a = found
        if len(a["words_offsets"]) != len(a["df"]) + 1 or len(a["df"]) != len(a["lengths"]) or "key" not in meta:
            return None
        v = cls.__new__(cls)
        v.words = SortedStrings(a["words_buffer"], a["words_offsets"])
        v.stems = SortedStrings(a["stems_buffer"], a["stems_offsets"])
        v.df, v._keys, v._word_ids, v._lengths = a["df"], a["keys"], a["word_ids"], a["lengths"]
        return str(meta["key"]), v

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def frequency(self, word: str) -> int:
        i = self.words.index(word)
        return int(self.df[i]) if i >= 0 else 0

    def known(self, word: str) -> bool:
        """Whether a search for this folded word finds something: it is a surface word, or one
        of its stems (English, French, Spanish, as the query compiler expands it) is indexed."""
        return word in self.words or any(v in self.stems for v in variants(word))

    def candidates(self, word: str) -> np.ndarray:
        """Ids of the words sharing a deletion with `word` (a superset of its neighbours)."""
        k = max_distance(word)
        qkeys = np.unique(_deletion_keys(_codes([word]), k)[0])
        lo = np.searchsorted(self._keys, qkeys, "left")
        hi = np.searchsorted(self._keys, qkeys, "right")
        if not (hi > lo).any():
            return np.empty(0, dtype=np.int32)
        found = np.unique(np.concatenate([self._word_ids[a:b] for a, b in zip(lo, hi) if b > a]))
        return found[np.abs(self._lengths[found] - len(word)) <= k]

    def suggest(self, word: str) -> str | None:
        """The most frequent word within max_distance(word) edits (ties: the closer one, then
        alphabetical order), never `word` itself; None for words under MIN_LENGTH letters."""
        word = fold(word)
        if len(word) < MIN_LENGTH or not self.words:
            return None
        limit = max_distance(word)
        ids = self.candidates(word)
        others = [self.words[i] for i in ids]
        if not others:
            return None
        d = distances(word, others)
        d[d == 0] = limit + 1  # never the word itself
        within = np.flatnonzero(d <= limit)
        if not len(within):
            return None
        names = [others[i] for i in within]
        best = min(range(len(within)), key=lambda k: (-self.df[ids[within[k]]], d[within[k]], names[k]))
        return names[best]

    def corrections(self, words: Iterable[str]) -> dict[str, str]:
        """{folded query word: suggestion} for each word a search cannot find."""
        out = {}
        for word in words:
            folded = fold(word)
            if folded not in out and not self.known(folded):
                found = self.suggest(folded)
                if found:
                    out[folded] = found
        return out


def _is_fixed_point(stem: str) -> bool:
    return any(stem_words([stem], lang)[0] == stem for lang in QUERY_LANGUAGES)


def _index_stems(conn: sqlite3.Connection) -> dict[str, int]:
    """{stem: articles holding it} from an fts5vocab table (https://sqlite.org/fts5.html#the_fts5vocab_virtual_table_module).

    The table lives in the connection's private temp schema (in memory). A serving connection
    has PRAGMA query_only on, which refuses even that, so it is lifted for this one statement:
    the archive file itself is never written."""
    query_only = conn.execute("PRAGMA query_only").fetchone()[0]
    try:
        if query_only:
            conn.execute("PRAGMA query_only=0")
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.article_vocab USING fts5vocab(main, article_fts, 'row')")
    finally:
        if query_only:
            conn.execute("PRAGMA query_only=1")
    return dict(conn.execute("SELECT term, doc FROM temp.article_vocab"))


def _surface_forms(conn: sqlite3.Connection, max_chars: int | None) -> dict[str, Counter]:
    """{stem: Counter(surface word: occurrences)} from the newest articles, until max_chars."""
    by_lang: dict[str, Counter] = {}
    read = 0
    for title, body, lang in conn.execute("SELECT title, unz(body), language FROM article ORDER BY id DESC"):
        text = f"{title or ''} {body or ''}"
        by_lang.setdefault(lang or "", Counter()).update(WORD.findall(fold(text)))
        read += len(text)
        if max_chars is not None and read >= max_chars:
            break
    forms: dict[str, Counter] = {}
    for lang, counts in by_lang.items():
        words = [w for w in counts if len(w) >= MIN_LENGTH and not any(ch.isdigit() for ch in w)]
        for word, stem in zip(words, stem_words(words, lang or None)):
            forms.setdefault(stem, Counter())[word] += counts[word]
    return forms


def vocabulary_from_fts(conn: sqlite3.Connection, max_chars: int | None = SCAN_CHARS,
                        stems: dict[str, int] | None = None) -> Vocabulary:
    """The archive's vocabulary: surface words with their stem's document frequency.

    ``max_chars`` bounds the text re-read to learn surface words (None: every article; about
    15 MB of text per second). See the module docstring for stems never seen in that text."""
    stems = _index_stems(conn) if stems is None else stems  # PostgreSQL: from ts_stat()
    forms = _surface_forms(conn, max_chars)
    pairs = []
    for stem, df in stems.items():
        seen = forms.get(stem)
        if seen:
            pairs += [(word, df) for word, _ in seen.most_common(FORMS_PER_STEM)]
        elif len(stem) >= MIN_LENGTH and not any(ch.isdigit() for ch in stem) and _is_fixed_point(stem):
            pairs.append((stem, df))
    return Vocabulary(pairs, stems)
