"""Text normalisation shared by indexing and querying: fold, tokenise, stem.

The FTS5 index stores, for each article, its words folded (case, accents, ligatures) and
stemmed with the stemmer of the article's language. A query word is expanded to the stems
of every indexed language, so ``attentats`` finds French ``attentat`` and ``arrested`` finds
English ``arrests`` whatever the language the user typed in.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import Stemmer

# Snowball stemmers for the languages we index with stemming; others index folded words.
STEMMER_NAMES = {"en": "english", "fr": "french", "es": "spanish", "de": "german", "it": "italian",
                 "pt": "portuguese", "nl": "dutch"}
# Query words are expanded to the stems of these languages (the ones our users read).
QUERY_LANGUAGES = ("en", "fr", "es")

WORD = re.compile(r"[^\W_]+")
# Bump whenever fold, the stemmers' use or the tokenising of index text change: archives indexed
# by another version must run `newsarchive rebuild-fts` (app/storage/sqlite_fts.py says why).
INDEX_TEXT_VERSION = "1"
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _latin_table() -> dict[int, str]:
    """Latin letters with diacritics -> base letters, ligatures expanded: one str.translate
    does most of the folding (NFKD over whole articles costs more than the rest of indexing)."""
    table = {}
    for cp in range(0xC0, 0x250):
        base = _COMBINING.sub("", unicodedata.normalize("NFKD", chr(cp)))
        if base != chr(cp) and base.isascii():
            table[cp] = base.lower()
    table.update({ord(k): v for k, v in {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i"}.items()})
    # Typographic punctuation separates words like a space does; mapping it here keeps most
    # French text ASCII after translate, which skips the costly NFKD pass below.
    for ch in "’‘‚‛“”„«»‹›–—―…•·\u00a0\u2009\u202f\u200b":
        table[ord(ch)] = " "
    return table


_LATIN = _latin_table()
# French elisions: l'ONU, d'attentats, qu'il — the article is not part of the word a user means.
ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})


# Letters of scripts other than Latin: such text takes the slow, exact folding path.
_NON_LATIN = re.compile(r"[\u0370-\u1dff\u2c00-\u2dff\u3040-\ufaff]")
_NO_DECOMPOSITION = (("œ", "oe"), ("æ", "ae"), ("ß", "ss"), ("ø", "o"), ("đ", "d"), ("ł", "l"), ("ı", "i"),
                     ("þ", "th"), ("ð", "d"))


def fold(text: str) -> str:
    """Lowercase, strip accents, expand ligatures: ``Sûreté`` -> ``surete``, ``Œuvre`` -> ``oeuvre``.

    Latin-script text (nearly all of ours) goes through NFKD and ASCII encoding in C, with
    non-letters turned into "?" (a word separator): three times faster than ``translate``.
    """
    text = text.lower()
    if text.isascii():
        return text
    if _NON_LATIN.search(text):
        text = text.translate(_LATIN)
        return text if text.isascii() else _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    for letter, plain in _NO_DECOMPOSITION:
        if letter in text:
            text = text.replace(letter, plain)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).encode("ascii", "replace").decode("ascii")


@lru_cache(maxsize=16)
def _stemmer(language: str):
    name = STEMMER_NAMES.get(language)
    return Stemmer.Stemmer(name) if name else None


# word -> stem, per language: news vocabulary repeats, and a dict lookup costs a tenth of a
# call into the stemmer. Bounded so a long import cannot grow it without limit.
_STEM_CACHE: dict[str, dict[str, str]] = {}
_STEM_CACHE_MAX = 400_000


def stem_words(words: list[str], language: str | None) -> list[str]:
    stemmer = _stemmer(language) if language else None
    if stemmer is None:
        return words
    cache = _STEM_CACHE.setdefault(language, {})
    try:
        return list(map(cache.__getitem__, words))
    except KeyError:
        if len(cache) > _STEM_CACHE_MAX:
            cache.clear()
        missing = list({w for w in words if w not in cache})
        cache.update(zip(missing, stemmer.stemWords(missing)))
        return list(map(cache.__getitem__, words))


def index_text(text: str, language: str | None) -> str:
    """What goes into the FTS5 row: folded, stemmed words separated by spaces."""
    return index_folded(fold(text), language)


def index_folded(folded: str, language: str | None) -> str:
    """index_text() of text already folded."""
    return " ".join(stem_words(folded_words(folded), language))


# ASCII characters that are not in any WORD ([^\W_]: there, [a-zA-Z0-9]) -> a space.
_ASCII_GAPS = str.maketrans({c: " " for c in map(chr, range(128)) if not WORD.fullmatch(c)})


def folded_words(folded: str) -> list[str]:
    """``WORD.findall(folded)``. Folded Latin text is ASCII, and there its non-word characters
    turned into spaces and a plain ``split()`` give the same words 2.5x faster (the regex was
    a third of the index text's time)."""
    if folded.isascii():
        return folded.translate(_ASCII_GAPS).split()
    return WORD.findall(folded)


def query_words(text: str, keep_elisions: bool = False) -> list[str]:
    """Folded words of one query term, with French elisions dropped (``l'ONU`` -> ``onu``);
    inside a phrase they are kept, since the index holds them (``"forces de l'ordre"``)."""
    words = WORD.findall(fold(text))
    if not keep_elisions and len(words) > 1 and ("'" in text or "’" in text):
        words = [w for w in words if w not in ELISIONS] or words
    return words


@lru_cache(maxsize=4096)
def variants(word: str) -> tuple[str, ...]:
    """Every stem an indexed article may hold for this folded query word."""
    found = {word}
    for lang in QUERY_LANGUAGES:
        found.add(_stemmer(lang).stemWord(word))
    return tuple(sorted(found))


def _one_char_folds() -> dict[int, str]:
    """Letters that fold to one ASCII letter or digit (é, É, ç, ü...): ``str.translate`` folds them
    in place, keeping every offset, and a word stays a word (the same boundaries for WORD)."""
    table = {}
    for cp in range(0x80, 0x250):
        ch = chr(cp)
        folded = fold(ch)
        if WORD.fullmatch(ch) and len(folded) == 1 and folded.isascii() and folded.isalnum():
            table[cp] = folded
    return table


_ONE_CHAR = _one_char_folds()


def tokens_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for each word of the original text, for highlighting."""
    words, starts, ends = token_columns(text)
    return list(zip(words, starts, ends))


_REFOLD = 0xFFFF  # in _BMP_FOLD: a letter folded with its word (œ -> oe, Greek, a ligature...)
_BMP_WORD: np.ndarray | None = None  # code point -> is it a character of WORD ([^\\W_])?
_BMP_FOLD: np.ndarray | None = None  # code point -> its folded ASCII letter, or _REFOLD


def _bmp_tables() -> tuple[np.ndarray, np.ndarray]:
    global _BMP_WORD, _BMP_FOLD
    if _BMP_FOLD is None:
        word = np.fromiter((WORD.match(chr(cp)) is not None for cp in range(0x10000)), dtype=bool, count=0x10000)
        table = np.full(0x10000, _REFOLD, dtype=np.uint32)
        table[~word] = np.flatnonzero(~word)  # not in any word: kept as it is (never read)
        for cp in range(0x80):
            table[cp] = ord(chr(cp).lower())
        for cp, folded in _ONE_CHAR.items():
            table[cp] = ord(folded.lower())
        _BMP_WORD, _BMP_FOLD = word, table
    return _BMP_WORD, _BMP_FOLD


def token_columns(text: str) -> tuple[list[str], list[int], list[int]]:
    """The folded words of the original text with their start and end offsets, as three lists
    (snippets fold every word of 20 articles per page: the biggest cost of a rare word's page).

    Over the text's code points as one numpy array: the runs of word characters are the words,
    and a table folds each letter to one ASCII letter in place (ASCII lower-cased, é -> e: the
    one-character folds of ``_ONE_CHAR``). A word holding any other letter (œ -> oe, Greek, whose
    final sigma depends on its place) is folded on its own, as ``fold`` does; text with a
    character outside the BMP (or a lone surrogate) goes word by word."""
    if not text:
        return [], [], []
    try:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate (a file decoded with surrogateescape)
        codes = np.array([0x10000], dtype=np.uint32)
    if int(codes.max()) < 0x10000:
        is_word, fold_table = _bmp_tables()
        edges = np.diff(is_word[codes].astype(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        folded_codes = fold_table[codes]
        folded = folded_codes.tobytes().decode("utf-32-le", errors="replace")
        starts_l, ends_l = starts.tolist(), ends.tolist()
        words = [folded[a:b] for a, b in zip(starts_l, ends_l)]
        refold = np.flatnonzero(folded_codes == _REFOLD)
        if len(refold):
            for i in np.unique(np.searchsorted(starts, refold, "right") - 1).tolist():
                words[i] = fold(text[starts_l[i]:ends_l[i]])
        return words, starts_l, ends_l
    found = [(w.lower() if w.isascii() else fold(text[m.start():m.end()]), m.start(), m.end())
             for m in WORD.finditer(text.translate(_ONE_CHAR)) for w in (m.group(),)]
    return [t[0] for t in found], [t[1] for t in found], [t[2] for t in found]
