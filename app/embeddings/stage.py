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


def _pending(store, model: str) -> Iterator[tuple[int, str]]:
    """(id, text) of every article without a vector of ``model``, by id, read a page at a time on
    a connection of its own (the writer commits between pages)."""
    conn = store.connect(read_only=True)
    try:
        after = 0
        while rows := store.vector_sql.pending(conn, model, after, READ_PAGE):
            after = rows[-1][0]
            for aid, title, body in rows:
                yield aid, document_text(title, body)
    finally:
        conn.close()


def _store_of(archive):
    """The store of ``archive``: a store (SQLite or PostgreSQL) as it is, a SQLite file's path."""
    if hasattr(archive, "vector_sql"):
        return archive
    from app.storage.sqlite import SqliteStore

    return SqliteStore(f"sqlite:///{archive}")


def embed_archive(archive, embedder: Embedder, *, workers: int = 1, batch: int = BATCH,
                  on_progress: Callable[[int, int], None] | None = None) -> EmbedReport:
    """Embed what is missing in ``archive`` (a store, or a SQLite file's path);
    ``on_progress(embedded, total)`` after each committed batch."""
    from app.parallel import map_chunks

    store = _store_of(archive)
    sql = store.vector_sql
    conn = store.connect(read_only=False)
    report = EmbedReport(embedder.name)
    t0 = time.perf_counter()
    try:
        if hasattr(sql, "fill_embeddings"):  # PostgreSQL with pgvector: vectors stored before it was there
            sql.fill_embeddings(conn)
        done, report.total = sql.counts(conn, embedder.name)
        items = _pending(store, embedder.name)
        def embed(chunk: list[tuple[int, str]]) -> list[tuple[int, object]]:
            return list(zip((aid for aid, _ in chunk), embedder.embed_documents([t for _, t in chunk])))

        vectors = map_chunks(embed, items, workers, chunk=batch) if workers > 1 else _in_process(embed, items, batch)
        ids, rows = [], []
        for aid, vector in vectors:
            ids.append(aid)
            rows.append(vector)
            if len(ids) >= batch:
                done += _commit(sql, conn, embedder.name, ids, rows, report, on_progress, done)
        if ids:
            done += _commit(sql, conn, embedder.name, ids, rows, report, on_progress, done)
        report.embedded, report.total = sql.counts(conn, embedder.name)
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


def _commit(sql, conn, model, ids, rows, report, on_progress, done) -> int:
    import numpy as np

    sql.write(conn, model, list(ids), np.stack(rows))
    n = len(ids)
    report.added += n
    ids.clear()
    rows.clear()
    if on_progress:
        on_progress(done + n, report.total)
    return n


def default_workers() -> int:
    return os.cpu_count() or 1
