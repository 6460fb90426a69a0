"""The embed stage (`newsarchive embed`): a vector for every article that has none from the
archive's model, in batches of BATCH, each committed on its own. Killed at any point, the archive
keeps whole batches (no half-written vector) and the next run goes on from there; run while
`serve` serves, it gives the server new vectors batch by batch. Apart from the import, so that
importing stays fast (the model embeds ~70 articles per CPU-second; the import ~1,500)."""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.embeddings.base import Embedder
from app.embeddings.text import document_text
from app.storage import sqlite_vectors

BATCH = 128
READ_PAGE = 2048


@dataclass
class EmbedReport:
    model: str
    added: int = 0
    embedded: int = 0  # articles with a vector of this model, at the end
    total: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.added / self.seconds if self.seconds else 0.0


def _pending(path: str, model: str) -> Iterator[tuple[int, str]]:
    """(id, text) of every article without a vector of ``model``, by id, read a page at a time on
    a connection of its own (the writer commits between pages)."""
    from app.storage.sqlite import connect

    conn = connect(path, read_only=True)
    try:
        after = 0
        while rows := sqlite_vectors.pending(conn, model, after, READ_PAGE):
            after = rows[-1][0]
            for aid, title, body in rows:
                yield aid, document_text(title, body)
    finally:
        conn.close()


def embed_archive(path: str, embedder: Embedder, *, workers: int = 1, batch: int = BATCH,
                  on_progress: Callable[[int, int], None] | None = None) -> EmbedReport:
    """Embed what is missing; ``on_progress(embedded, total)`` after each committed batch."""
    from app.parallel import map_chunks
    from app.storage.sqlite import connect

    conn = connect(path, read_only=False)
    report = EmbedReport(embedder.name)
    t0 = time.perf_counter()
    try:
        done, report.total = sqlite_vectors.counts(conn, embedder.name)
        items = _pending(path, embedder.name)
        def embed(chunk: list[tuple[int, str]]) -> list[tuple[int, object]]:
            return list(zip((aid for aid, _ in chunk), embedder.embed_documents([t for _, t in chunk])))

        vectors = map_chunks(embed, items, workers, chunk=batch) if workers > 1 else _in_process(embed, items, batch)
        ids, rows = [], []
        for aid, vector in vectors:
            ids.append(aid)
            rows.append(vector)
            if len(ids) >= batch:
                done += _commit(conn, embedder.name, ids, rows, report, on_progress, done, t0)
        if ids:
            done += _commit(conn, embedder.name, ids, rows, report, on_progress, done, t0)
        report.embedded, report.total = sqlite_vectors.counts(conn, embedder.name)
    finally:
        conn.close()
    report.seconds = time.perf_counter() - t0
    return report


def _in_process(embed, items, batch: int) -> Iterator:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= batch:
            yield from embed(chunk)
            chunk = []
    if chunk:
        yield from embed(chunk)


def _commit(conn, model, ids, rows, report, on_progress, done, t0) -> int:
    import numpy as np

    sqlite_vectors.write(conn, model, list(ids), np.stack(rows))
    n = len(ids)
    report.added += n
    ids.clear()
    rows.clear()
    if on_progress:
        on_progress(done + n, report.total)
    return n


def default_workers() -> int:
    return os.cpu_count() or 1
