"""The embedder the settings name, loaded once per process. A model that cannot load is said
once (``problem``) and meaning search is off; keyword search goes on."""
from __future__ import annotations

import threading

from app.embeddings.base import Embedder, ModelUnavailable

MODELS = ("use-m3", "e5-small", "hashing", "off")
_lock = threading.Lock()  # guards _locks
_locks: dict[str, threading.Lock] = {}
_loaded: dict[str, tuple[Embedder | None, str | None]] = {}


def _make(name: str) -> Embedder:
    if name == "use-m3":
        from app.embeddings.use_m3 import UseM3Embedder

        return UseM3Embedder()
    if name == "e5-small":
        from app.embeddings.e5_small import E5SmallEmbedder

        return E5SmallEmbedder()
    if name == "hashing":
        from app.embeddings.hashing import HashingEmbedder

        return HashingEmbedder()
    if name == "off":
        raise ModelUnavailable("NEWSARCHIVE_EMBEDDER is off")
    raise ModelUnavailable(f"unknown embedder {name!r} (NEWSARCHIVE_EMBEDDER: one of {', '.join(MODELS)})")


LOADING = "the model is still loading"


def load(name: str, wait: bool = True) -> tuple[Embedder | None, str | None]:
    """(embedder, None), or (None, why meaning search is off). One lock a model: a search that
    wants a loaded model does not wait while another loads (the warm-up loads e5-small, then use-m3
    for its snippet sentences: 1.2 s). ``wait=False``: (None, LOADING) at once while another
    thread is loading it (a page that can do without it does not wait)."""
    found = _loaded.get(name)
    if found is not None:
        return found
    with _lock:
        lock = _locks.setdefault(name, threading.Lock())
    if not lock.acquire(blocking=wait):
        return None, LOADING
    try:
        if name not in _loaded:
            try:
                _loaded[name] = (_make(name), None)
            except ModelUnavailable as exc:
                _loaded[name] = (None, str(exc))
        return _loaded[name]
    finally:
        lock.release()
