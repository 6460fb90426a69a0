"""Search by meaning on a large archive: an approximate index (usearch HNSW) saved beside the
archive (``archive.db-vectors/``) and memory-mapped, so that the server's processes share one copy
of its pages instead of each holding a float32 matrix (2 GB per process at 1M x 512).

The folder holds the article ids (ascending), the int8 codes the archive stores with each row's
norm, and the HNSW graph over the same codes (usearch ``i8``, cosine). The graph's file holds the
codes itself; when that copy checks out byte for byte at the build, it is the one read (through
``slots``: where each id's row is), and no second copy is kept (at 1M: 488 MiB less to share). The graph
only proposes candidates: its int8 cosine uses an approximate reciprocal square root (a vector's
similarity to itself comes out 0.997), so every candidate is rescored exactly from the codes, and
the similarities returned are those of the exact index (app/search/vectors.py) to float rounding.

- a filter that allows few rows (<= EXACT_ROWS): the exact product over just those rows;
- otherwise the graph is asked for more than wanted (OVERFETCH times, and in proportion to the
  share the filter allows), the candidates are filtered and rescored, and asked again (x4) until
  enough pass; past MAX_FETCH the allowed rows are scored exactly instead.

Same surface as the in-memory VectorIndex plus ``close``, ``similarities`` and ``sim_stats``:
like the pgvector path (app/storage/pg_vector_search.py), app/search/hybrid.py then knows the
similarity of the candidates only, and the fusion's z-score takes the mean and spread of the
similarity over the allowed articles from an exact sample (``sim_stats``).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from app.search.vectors import RowFilter

LAYOUT = 1
EXACT_ROWS = 20_000  # a filter allowing at most this many rows: exact product over them
OVERFETCH = 2  # candidates asked of the graph per article wanted (rescored exactly)
MAX_FETCH = 8_192  # asking the graph for more than this: score the allowed rows exactly instead
SAMPLE = 4_096  # rows scored exactly for the mean and spread of the similarity
# 1M synthetic vectors (bench/README.md, session 10): links 16 / build list 64 gave recall@10 0.760
# at search list 128 (193 s to build, 630 MiB); 32 / 128 gives 0.956 (411 s, 752 MiB), same speed.
CONNECTIVITY = 32  # HNSW links per node (usearch's default: 16)
EXPANSION_ADD = 128  # search list while building
EXPANSION_SEARCH = 128  # search list while searching (at least the number asked for)
CHUNK = 65_536  # rows converted to float32 at a time when scoring many


def available() -> str | None:
    """None when usearch can be imported, else why not."""
    try:
        import usearch.index  # noqa: F401
    except ImportError as exc:
        return f"usearch is not installed ({exc})"
    return None


class Builder:
    """Write the folder from batches of (ids ascending, int8 codes): the codes go to a .npy file
    as they come (no second copy in memory), then the graph is built from that file."""

    def __init__(self, folder: str, dims: int, count: int):
        self.target = Path(folder)
        self.tmp = self.target.with_name(f"{self.target.name}.{os.getpid()}.tmp")
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.tmp.mkdir(parents=True)
        self.dims, self.count, self.filled = dims, count, 0
        self.ids = np.zeros(count, dtype=np.int64)
        self.codes = np.lib.format.open_memmap(self.tmp / "codes.npy", mode="w+", dtype=np.int8, shape=(count, dims))

    def add(self, ids: np.ndarray, codes: np.ndarray) -> None:
        end = self.filled + len(ids)
        self.ids[self.filled:end], self.codes[self.filled:end] = ids, codes
        self.filled = end

    def finish(self, key: str, model: str, threads: int = 0) -> None:
        """Build the graph and put the folder in place whole (a reader sees the old or the new)."""
        from usearch.index import Index

        n = self.filled
        codes = self.codes[:n]
        norms = np.empty(n, dtype=np.float32)
        graph = Index(ndim=self.dims, metric="cos", dtype="i8", connectivity=CONNECTIVITY,
                      expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
        for at in range(0, n, CHUNK):
            block = np.asarray(codes[at:at + CHUNK])
            norms[at:at + CHUNK] = np.linalg.norm(block.astype(np.float32), axis=1)
            graph.add(self.ids[at:at + CHUNK].astype(np.uint64), block, threads=threads)
        graph.save(str(self.tmp / "graph.usearch"))
        del graph
        self.codes.flush()
        shared = share_codes(self.tmp, codes)
        del self.codes, codes
        if shared is not None:  # the graph's own copy of the codes serves: no second one on disk
            (self.tmp / "codes.npy").unlink()
            np.save(self.tmp / "slots.npy", shared)
        elif n < self.count:  # fewer rows came than announced (a row skipped as damaged)
            trimmed = np.load(self.tmp / "codes.npy", mmap_mode="r")[:n].copy()
            np.save(self.tmp / "codes.npy", trimmed)
        np.save(self.tmp / "ids.npy", self.ids[:n])
        np.save(self.tmp / "norms.npy", norms)
        (self.tmp / "meta.json").write_text(json.dumps({"layout": LAYOUT, "key": key, "model": model, "dims": self.dims,
                                                       "size": n, "codes": "graph" if shared is not None else "file"}),
                                            encoding="utf-8")
        old = self.target.with_name(f"{self.target.name}.{os.getpid()}.old")
        if self.target.exists():
            self.target.rename(old)
        self.tmp.rename(self.target)
        shutil.rmtree(old, ignore_errors=True)

    def abandon(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


GRAPH_HEAD = 8  # usearch 2.x's file: (rows, bytes a row) as two uint32, then the vectors, then the graph


def graph_codes(path: Path, count: int, dims: int) -> np.ndarray | None:
    """The int8 vectors inside a saved usearch graph (in the graph's row order), memory-mapped;
    None when the file does not start as expected."""
    try:
        head = np.fromfile(path, dtype=np.uint32, count=2)
        if head.tolist() != [count, dims] or path.stat().st_size < GRAPH_HEAD + count * dims:
            return None
        return np.asarray(np.memmap(path, dtype=np.int8, mode="r", offset=GRAPH_HEAD, shape=(count, dims)))
    except (OSError, ValueError):
        return None


def _fingerprints(m: np.ndarray) -> np.ndarray:
    """A 64-bit fingerprint of each int8 row (its 8-byte words times fixed odd numbers, summed
    modulo 2**64)."""
    weights = np.random.default_rng(11).integers(1, 2**63, m.shape[1] // 8, dtype=np.uint64) | np.uint64(1)
    out = np.empty(len(m), dtype=np.uint64)
    for at in range(0, len(m), CHUNK):
        out[at:at + CHUNK] = (np.ascontiguousarray(m[at:at + CHUNK]).view(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
    return out


def share_codes(folder: Path, codes: np.ndarray) -> np.ndarray | None:
    """Where each row of ``codes`` is in the graph's own copy of the vectors (usearch keeps them
    in the order its threads inserted them), found by fingerprint and then checked byte for byte
    whole; None when the copy cannot serve (the codes file is kept)."""
    n, dims = codes.shape
    inside = graph_codes(folder / "graph.usearch", n, dims)
    if inside is None or dims % 8:
        return None
    mine, theirs = _fingerprints(codes), _fingerprints(inside)
    by_mine, by_theirs = np.argsort(mine, kind="stable"), np.argsort(theirs, kind="stable")
    if not np.array_equal(mine[by_mine], theirs[by_theirs]):
        return None
    slots = np.empty(n, dtype=np.int64)
    slots[by_mine] = by_theirs  # identical rows (near-duplicate articles) may swap: same bytes
    for at in range(0, n, CHUNK):
        if not np.array_equal(inside[slots[at:at + CHUNK]], codes[at:at + CHUNK]):
            return None
    return slots


def read_meta(folder: str) -> dict | None:
    try:
        meta = json.loads((Path(folder) / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("layout") == LAYOUT else None


def load(folder: str, key: str | None = None) -> "AnnIndex | None":
    """The index in ``folder``, memory-mapped; None when absent, damaged, of another layout or
    (with ``key``) of another state of the vectors."""
    from usearch.index import Index

    meta = read_meta(folder)
    if meta is None or (key is not None and meta.get("key") != key):
        return None
    path = Path(folder)
    try:
        ids = np.asarray(np.load(path / "ids.npy", mmap_mode="r"))
        norms = np.asarray(np.load(path / "norms.npy", mmap_mode="r"))
        if meta.get("codes") == "graph":
            slots = np.asarray(np.load(path / "slots.npy", mmap_mode="r"))
            codes = graph_codes(path / "graph.usearch", len(ids), meta["dims"])
        else:
            slots, codes = None, np.asarray(np.load(path / "codes.npy", mmap_mode="r"))
        graph = Index.restore(str(path / "graph.usearch"), view=True)
    except (OSError, ValueError, RuntimeError, KeyError):
        return None
    if graph is None or codes is None or codes.shape != (len(ids), meta["dims"]) or len(norms) != len(ids) \
            or len(graph) != len(ids) or (slots is not None and len(slots) != len(ids)):
        return None
    graph.expansion_search = EXPANSION_SEARCH
    return AnnIndex(meta["key"], meta["model"], ids, codes, norms, graph, slots)


class AnnIndex(RowFilter):
    candidates_only = True  # app/search/hybrid.py: the nearest, and the candidates' similarity

    def __init__(self, key: str, model: str, ids: np.ndarray, codes: np.ndarray, norms: np.ndarray, graph,
                 slots: np.ndarray | None = None):
        self.key, self.model, self.ids, self.codes, self.norms, self.graph = key, model, ids, codes, norms, graph
        self.slots = slots  # row (ids ascending) -> row of ``codes``, when they are the graph's own copy
        self.inverse = np.where(norms > 0, 1.0 / np.where(norms > 0, norms, 1.0), 0.0).astype(np.float32)
        self.force_exact = False  # tests: the exact path over the same files

    @property
    def size(self) -> int:
        return len(self.ids)

    def _exact(self, rows: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of the unit ``query`` to the given rows (ascending), from the codes."""
        q = query.astype(np.float32)
        out = np.empty(len(rows), dtype=np.float32)
        for at in range(0, len(rows), CHUNK):
            part = rows[at:at + CHUNK]
            out[at:at + CHUNK] = (self._codes(part).astype(np.float32) @ q) * self.inverse[part]
        return out

    def _codes(self, rows: np.ndarray) -> np.ndarray:
        return self.codes[rows if self.slots is None else self.slots[rows]]

    def _top(self, rows: np.ndarray, sims: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        ids = self.ids[rows]
        if k < len(sims):
            top = np.argpartition(-sims, k)[:k]
            ids, sims = ids[top], sims[top]
        order = np.lexsort((ids, -sims))
        return ids[order], sims[order].astype(np.float64)

    def _graph_rows(self, query: np.ndarray, count: int) -> np.ndarray:
        peak = float(np.abs(query).max()) or 1.0  # the graph's i8 takes [-1, 1]: cosine ignores the scale
        found = self.graph.search((query / peak).astype(np.float32), count, threads=1)
        return np.sort(np.searchsorted(self.ids, found.keys.astype(np.int64)))

    def nearest(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The k closest allowed articles, closest first (ties by id): (ids, similarities)."""
        n = self.size if allowed is None else int(allowed.sum())
        if n == 0 or k <= 0:
            return np.empty(0, np.int64), np.empty(0)
        if self.force_exact or n <= max(EXACT_ROWS, k):
            rows = np.arange(self.size) if allowed is None else np.flatnonzero(allowed)
            return self._top(rows, self._exact(rows, query), k)
        fetch = min(self.size, int(np.ceil(OVERFETCH * k * self.size / n)))
        while fetch <= MAX_FETCH:
            rows = self._graph_rows(query, fetch)
            if allowed is not None:
                rows = rows[allowed[rows]]
            if len(rows) >= k or fetch >= self.size:
                return self._top(rows, self._exact(rows, query), k)
            fetch = min(self.size, fetch * 4)
        rows = np.arange(self.size) if allowed is None else np.flatnonzero(allowed)
        return self._top(rows, self._exact(rows, query), k)

    def close(self, query: np.ndarray, k: int, floor: float, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The k closest allowed articles at least ``floor`` similar, closest first."""
        ids, sims = self.nearest(query, k, allowed)
        keep = sims >= floor
        return ids[keep], sims[keep]

    def similarities(self, query: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(ids ascending, similarity) of those of ``ids`` that have a vector."""
        ids = np.unique(np.asarray(ids, dtype=np.int64))
        at = np.clip(np.searchsorted(self.ids, ids), 0, max(0, self.size - 1))
        rows = at[self.ids[at] == ids] if self.size else at[:0]
        return self.ids[rows], self._exact(rows, query).astype(np.float64)

    def sim_stats(self, query: np.ndarray, allowed: np.ndarray | None) -> tuple[float, float]:
        """(mean, standard deviation) of the similarity over the allowed articles, from an exact
        product over at most SAMPLE of them (evenly spaced: the same rows for the same filter)."""
        rows = np.arange(self.size) if allowed is None else np.flatnonzero(allowed)
        if len(rows) > SAMPLE:
            rows = rows[np.linspace(0, len(rows) - 1, SAMPLE).astype(np.int64)]
        sims = self._exact(rows, query)
        return (float(sims.mean()), float(sims.std())) if len(sims) > 1 else (0.0, 1.0)

    def vector_of(self, article_id: int) -> np.ndarray | None:
        at = int(np.searchsorted(self.ids, article_id))
        if at >= self.size or self.ids[at] != article_id:
            return None
        return self._codes(np.array([at]))[0].astype(np.float32) * self.inverse[at]
