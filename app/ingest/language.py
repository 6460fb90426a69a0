"""Language of an article, as an ISO 639-1 code, with py3langid restricted to likely languages.

The archive holds English and French news, with the odd Spanish, German or Arabic piece.
Restricting the model to the languages we can meet avoids the classic naive-Bayes slips on
short news text (English read as Latin or Scots, French as Occitan or Catalan).
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

__all__ = ["LANGUAGES", "detect_language", "detect_languages", "language_code"]

# European languages plus Arabic: what the archive may plausibly receive.
LANGUAGES = ("en", "fr", "es", "de", "it", "pt", "nl", "ar", "ru", "pl", "sv", "da", "tr")
# The first 300 characters decide: 100% right on 3,000 OrangeSum and 2,225 BBC articles, as
# with 800 or 1,000, and the DFA walk is pure Python: 0.09 ms per article (800: 0.19 ms), which
# matters at 1,500 articles/s.
SAMPLE_CHARS = 300
# Below this many letters the classifier guesses; we prefer "unknown".
MIN_LETTERS = 20


# A language tag as sources write it: "en", "fr-FR", "en_GB", "pt-br", "eng"; anything else (a
# name, "en\"><script>", a sentence) is not a language code and is ignored: the text decides.
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$", re.IGNORECASE)
_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis"})  # ISO 639 codes for "no language known"


def language_code(value: object) -> str | None:
    """The primary language subtag of ``value``, lower case ("en-GB" → "en"), or None when it is
    not a language tag."""
    if not isinstance(value, str):
        return None
    match = _TAG.match(value.strip())
    if not match or match.group(1).lower() in _NOT_LANGUAGES:
        return None
    return match.group(1).lower()


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    # A private instance: set_languages() on the module-level one would affect other callers.
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(LANGUAGES)
    return identifier


def detect_language(text: str) -> str | None:
    """Return "en", "fr", ... for ``text``, or None when it is too short to tell."""
    return detect_languages([text])[0]


def detect_languages(texts: list[str]) -> list[str | None]:
    """``detect_language`` of many texts at once: py3langid's model and its decision, with the
    byte-by-byte walk of its feature automaton run in lockstep over every text (one numpy step
    per byte position instead of a Python step per byte of each text): 6x faster on a chunk
    of 64 articles, the same languages (tests/test_language.py checks it against
    ``LanguageIdentifier.classify``)."""
    samples = [text[:SAMPLE_CHARS] for text in texts]
    known = [i for i, sample in enumerate(samples) if _has_letters(sample, MIN_LETTERS)]
    found: list[str | None] = [None] * len(texts)
    if known:
        identifier = _identifier()
        scores = _Walk.of(identifier).scores([identifier._encode(samples[i]) for i in known])
        for i, best in zip(known, scores.argmax(axis=1).tolist()):
            found[i] = identifier.nb_classes[best]
    return found


class _Walk:
    """py3langid's model as numpy arrays: the automaton (next state by state and byte), the
    feature each state emits, the per-language weights of each feature."""

    def __init__(self, identifier: LanguageIdentifier):
        if identifier._alias_pairs or identifier._norm_probs:
            raise ValueError("only plain scores over distinct labels are batched")
        self.next = np.asarray(identifier.tk_nextmove, dtype=np.uint32)
        self.rowbase = np.asarray(identifier._rowbase, dtype=np.int64)
        self.output = np.asarray(identifier.tk_output, dtype=np.int64)
        self.weights = np.asarray(identifier.nb_ptc, dtype=np.float32)
        self.prior = np.asarray(identifier.nb_pc, dtype=np.float32)

    @classmethod
    @lru_cache(maxsize=1)
    def of(cls, identifier: LanguageIdentifier) -> "_Walk":
        return cls(identifier)

    def scores(self, encoded: list[bytes]) -> np.ndarray:
        """Naive Bayes scores (texts x languages), as ``LanguageIdentifier._raw_score`` gives."""
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        width = int(lengths.max())
        padded = np.zeros((width, len(encoded)), dtype=np.int64)  # position x text
        for column, data in enumerate(encoded):
            padded[:len(data), column] = np.frombuffer(data, dtype=np.uint8)
        emitted = np.empty((width, len(encoded)), dtype=np.int64)
        state = np.zeros(len(encoded), dtype=np.int64)
        for position in range(width):  # past a text's end its states are never counted
            state = self.next[self.rowbase[state] + padded[position]].astype(np.int64)
            emitted[position] = self.output[state]
        live = (emitted >= 0) & (np.arange(width)[:, None] < lengths)
        text = np.broadcast_to(np.arange(len(encoded)), emitted.shape)[live]
        keys, counts = np.unique(text * len(self.weights) + emitted[live], return_counts=True)
        rows, features = keys // len(self.weights), keys % len(self.weights)
        contributions = np.log1p(counts.astype(np.float32))[:, None] * self.weights[features]
        scores = np.full((len(encoded), len(self.prior)), np.finfo(np.float32).min, dtype=np.float32)
        if len(rows):
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            scores[rows[starts]] = np.add.reduceat(contributions, starts, axis=0) + self.prior
        return scores


def _has_letters(text: str, minimum: int) -> bool:
    count = 0
    for char in text:
        if char.isalpha():
            count += 1
            if count >= minimum:
                return True
    return False
