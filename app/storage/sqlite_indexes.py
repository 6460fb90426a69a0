"""The derived indexes of a SQLite archive, kept beside it and rebuilt when stale: the facet
index (``archive.db-docindex/``), the did-you-mean vocabulary (``-vocabulary/``, memory-mapped) and the
frequent words' postings (``-postings/``). Each is keyed by the archive's state (index_key);
across server processes (``serve --workers N``) one builds, under a lock file, and the others
load its result. A mixin of SqliteStore: it uses the store's ``conn()``, ``path`` and flags.
"""
from __future__ import annotations

import fcntl
import os
import threading
import time
from contextlib import contextmanager


from app.search import docindex
from app.search import phrase_pairs
from app.search import postings as postings_io
from app.search.evaluate import Unsupported
from app.search.suggest import Vocabulary
from app.storage import sqlite_postings


REBUILD_SHARE = 0.1  # an import that adds this share of the archive rebuilds the index files at its end


class IndexFiles:
    def vocabulary(self):
        """Indexed words for "did you mean": loaded from beside the archive, else built and saved
        there. After an import the server answers with the previous vocabulary while a thread
        builds the new one (a suggestion is only offered when a search finds nothing, so words
        that only new articles hold are never "corrected" meanwhile); before the first one is
        built it answers None (no suggestion yet) instead of making a search wait a minute."""
        key = self.index_key()
        cached = getattr(self, "_vocab", None)
        if cached is None:
            cached = self._vocab = Vocabulary.load(self.cache_path("vocabulary"))
        if cached is not None and cached[0] == key:
            return cached[1]
        if self.build_postings:  # serving never waits: the stale one (or none yet) while a thread builds
            if not self._vocab_building.locked():
                threading.Thread(target=self._in_background, daemon=True, args=(
                    self._vocab_building, "vocabulary not rebuilt", lambda: self._build_vocabulary(self.index_key()))).start()
            return cached[1] if cached is not None else None
        return self._build_vocabulary(key)

    def _build_vocabulary(self, key: str):
        """Build and save the vocabulary, once per archive state across server processes: one
        builds (it takes ~1 GB at 300k articles), the others wait for its file."""
        from app.search.suggest import vocabulary_from_fts

        path = self.cache_path("vocabulary")
        with _exclusive(self.cache_path("vocabulary.lock"), wait=True):
            saved = Vocabulary.load(path)
            if saved is not None and saved[0] == key:  # built by another process meanwhile
                self._vocab = saved
                return saved[1]
            vocab = vocabulary_from_fts(self.conn())
            _beside(vocab.save, path, key)
        self._vocab = (key, vocab)
        return vocab

    def build_index_files(self, share_added: float) -> bool:
        """Build the index files a server would otherwise build at its first start, when an
        import added ``share_added`` of the archive: always when there are none yet, and when
        the import added at least REBUILD_SHARE of the archive (a few articles into a big archive
        leave the rebuild to `serve`, which answers meanwhile). True when built."""
        absent = not any(os.path.exists(self.cache_path(n)) for n in ("docindex", "vocabulary", "postings"))
        if not absent and share_added < REBUILD_SHARE:
            return False
        key = self.index_key()
        self.doc_index()
        self.vocabulary()
        self._build_shared(key)  # unless a server is building them right now
        return True

    def _in_background(self, lock: threading.Lock, failure: str, job) -> None:
        """Run ``job`` in this (background) thread unless another thread of this process is on
        it; a failure is only reported: what was there goes on serving."""
        if not lock.acquire(blocking=False):
            return
        try:
            job()
        except Exception as exc:
            print(f"newsarchive: {failure} ({exc})", flush=True)
        finally:
            lock.release()
            self.close()  # this thread's connection

    def index_key(self) -> str:
        """What the in-memory indexes were built from: the generation (bumped by every write),
        and the newest article and import, which tell a restored backup's generation from the
        same number reached again by other writes."""
        gen, top, run = self.conn().execute(
            "SELECT (SELECT value FROM meta WHERE key='generation'), (SELECT COALESCE(max(id), 0) FROM article),"
            " (SELECT COALESCE(max(id), 0) FROM import_run)").fetchone()
        return f"{gen}:{top}:{run}"

    def doc_index(self) -> docindex.DocIndex:
        key = self.index_key()
        idx = self._index
        if idx is not None and idx.generation == key:
            return idx
        with self._index_lock:
            if self._index is None or self._index.generation != key:
                self._index = docindex.load(self.cache_path("docindex"), key) or self._build_index(key)
            return self._index

    def cache_path(self, name: str) -> str:
        """Derived indexes live beside the archive (``archive.db-docindex/``), like its -wal."""
        return f"{self.path}-{name}"

    def _build_index(self, key: str) -> docindex.DocIndex:
        c = self.conn()
        idx = docindex.build(
            key,
            c.execute("SELECT id, language, source, CAST(strftime('%Y%m%d%H%M%S',"
                      " COALESCE(published_at, imported_at)) AS INTEGER),"
                      " CAST(strftime('%Y%m%d%H%M%S', published_at) AS INTEGER), story_id FROM article ORDER BY id"),
            c.execute("SELECT article_id, entity_id, about, located_only FROM article_entity"),
            c.execute("SELECT article_id, tag FROM source_tag"),
        )
        _beside(docindex.save, idx, self.cache_path("docindex"))
        return idx

    # -- full text: over the frequent words' postings when they are built, else FTS5 ----------
    def postings(self, build: bool = False, background: bool = False):
        """The postings for the archive as it is: loaded from beside the archive, or built when
        ``build`` (or in a background thread when ``background``: the server's way, so that no
        request waits; until they are ready FTS5 answers alone, as fast as it can)."""
        key = self.index_key()
        cached = getattr(self, "_postings", None)
        if cached is not None and cached.key == key:
            return cached
        found = postings_io.load(self.cache_path("postings"), key)
        if found is not None:
            found.pairs = phrase_pairs.load(self.cache_path("pairs"), key)
        if found is None and build:
            found = self._build_postings(key)
        elif found is None and background and not self._building.locked() and time.monotonic() > self._next_build:
            self._next_build = time.monotonic() + 5  # another process may be building: look again later
            threading.Thread(target=self._in_background, daemon=True, args=(
                self._building, "postings not built; searching through FTS5 alone", lambda: self._build_shared(key))).start()
        if found is not None:
            self._postings = found
        return found

    def _build_postings(self, key: str):
        """The pairs table first, then the postings (never both in memory while being built);
        ``self.build_seconds`` says how long each took."""
        start = time.perf_counter()
        folder = os.path.dirname(os.path.abspath(self.cache_path("pairs")))
        pairs = sqlite_postings.build_pairs(self.conn(), self.doc_index(), folder if os.access(folder, os.W_OK) else None)
        if pairs is not None:  # saved first: a reader that finds the postings finds their pairs
            _beside(lambda table, path: phrase_pairs.save(table, path, key), pairs, self.cache_path("pairs"))
        middle = time.perf_counter()
        found = sqlite_postings.build(self.conn(), self.doc_index(), key)
        found.pairs = pairs
        _beside(postings_io.save, found, self.cache_path("postings"))
        self.build_seconds = {"pairs": middle - start, "postings": time.perf_counter() - middle}
        return found

    def _build_shared(self, key: str) -> None:
        """Build the postings once per archive state, whichever process gets there first: the
        others (``serve --workers N``) load the folder when it appears."""
        with _exclusive(self.cache_path("postings.lock")) as mine:
            if mine and self.index_key() == key and postings_io.load(self.cache_path("postings"), key) is None:
                self._postings = self._build_postings(key)

    def _fast(self):
        """A FastText for this thread's connection, when postings match the archive. Called for
        every full-text lookup of a search: the archive's state is read once (doc_index)."""
        if not self.use_postings:
            return None
        idx = self.doc_index()
        p = getattr(self, "_postings", None)
        if p is None or p.key != idx.generation:
            p = self.postings(background=self.build_postings)
            if p is None or p.key != idx.generation:
                return None
        fast = getattr(self._local, "fast", None)
        if fast is None or fast.idx is not idx or fast.evaluator.p is not p or fast.conn is not self.conn():
            fast = self._local.fast = self._fast_text(idx, p)
        return fast

    def _fast_text(self, idx, p):
        return sqlite_postings.FastText(self.conn(), idx, p)

    def forget_phrases(self) -> None:
        """Drop this thread's phrases kept during a search (the evaluator's cache): a server has
        dozens of threads, and a common word's scores at 1M articles are 3 MB."""
        fast = getattr(self._local, "fast", None)
        if fast is not None:
            fast.evaluator.forget()

    def _over_postings(self, method: str, *args):
        """``method`` of the FastText for this archive, or None: no postings yet, or an
        expression they do not answer (then FTS5 does)."""
        fast = self._fast()
        if fast is None:
            return None
        try:
            return getattr(fast, method)(*args)
        except Unsupported:
            return None


@contextmanager
def _exclusive(path: str, wait: bool = False):
    """Yields True when this process holds the lock file at ``path`` (advisory, released when
    closed; ``wait``: until it can), False when another process holds it; True also where no
    lock file can be made."""
    try:
        f = open(path, "a")
    except OSError:
        yield True
        return
    try:
        fcntl.flock(f, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        yield False
        return
    try:
        yield True
    finally:
        f.close()


def _beside(save, *args) -> None:
    """Save an index file beside the archive; in a folder we may not write, it is kept in memory
    only (and rebuilt at the next start)."""
    try:
        save(*args)
    except OSError:
        pass
