"""A small deterministic embedder for tests and for archives without the model: hashed word and
character-trigram features of the accent-folded text. It knows no meaning (synonyms and other
languages are far apart) but is fast, exact across runs and machines, and near-duplicate texts
get near-identical vectors, which is what tests of the stage, the storage and the fusion need."""
from __future__ import annotations

import hashlib

import numpy as np

from app.embeddings.base import normalised
from app.embeddings.text import QUERY_CHARS
from app.search.text import fold


class HashingEmbedder:
    name = "hashing-v1"
    close_floor = 0.25  # use-m3's floors: the tests' small archives were written for them
    same_story_floor = 0.55
    zmix = (0.03, 0.6, 3.0)
    sentence_model = None

    def __init__(self, dimensions: int = 256):
        self.dimensions = dimensions

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dimensions, dtype=np.float32)
        words = fold(text or "").split()
        grams = words + [w[i:i + 3] for w in words for i in range(max(1, len(w) - 2))]
        for g in grams:
            h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
            v[h % self.dimensions] += 1.0 if (h >> 32) & 1 else -1.0
        return v

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return normalised(np.stack([self._one(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return normalised(self._one((text or "")[:QUERY_CHARS]))
