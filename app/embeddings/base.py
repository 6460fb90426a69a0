"""What an embedding model must answer. Vectors are float32, L2-normalised, one row per text, so
that a dot product is the cosine similarity."""
from __future__ import annotations

from typing import Protocol

import numpy as np

from app.embeddings.text import QUERY_CHARS, unshout


class Embedder(Protocol):
    name: str  # model and version, stored with every vector: a change of model re-embeds
    dimensions: int
    # Similarities differ in scale from one model to another, so the floors are the model's:
    close_floor: float  # a query's nearest articles count as "close in meaning" from this similarity
    same_story_floor: float  # an article in the other language is "the same story" from this one
    zmix: tuple[float, float, float]  # the hybrid order's keyword weights (fusion.zmix: low, high, power)
    # A faster model (a registry name) that picks the closest sentence of a hit found by meaning,
    # embedding sentences while the page is built; None: this model does.
    sentence_model: str | None

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


class ModelUnavailable(RuntimeError):
    """The model package is missing or broken: meaning search is off, keyword search goes on."""


class TextModel:
    """What the real models share: the text they are given (mostly-capital text case-folded, a
    query cut to QUERY_CHARS, never an empty string), unit rows out, a shape checked at load.
    A model gives ``_documents`` and ``_queries`` (lists of strings to a float array)."""

    dimensions: int

    def _documents(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _queries(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _check(self, probe: np.ndarray, rows: int, package: str) -> None:
        if probe.shape != (rows, self.dimensions):
            raise ModelUnavailable(f"{package} returned vectors of shape {probe.shape}")

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return normalised(self._documents([unshout(t) or " " for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return normalised(self._queries([unshout((text or "")[:QUERY_CHARS]) or " "]))[0]
