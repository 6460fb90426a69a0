"""The facet and filter index and the did-you-mean vocabulary are saved beside the archive and reloaded while it is
unchanged (a server start costs milliseconds instead of a rebuild), and never used once they are stale."""
from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pytest

from app.search.params import SearchParams

from app.ingest.load import import_paths
from app.search import docindex
from app.store import open_store
from tests.conftest import SAMPLES, settings_for

pytestmark = pytest.mark.sqlite_only("the index files kept beside the .db file (PostgreSQL keeps them in memory)")


def mapped(a) -> bool:
    """The array's memory is a file mapping (a view of an np.memmap, as the loaders hand out)."""
    while a is not None and not isinstance(a, np.memmap):
        a = getattr(a, "base", None)
    return a is not None


def assert_same_index(a: docindex.DocIndex, b: docindex.DocIndex) -> None:
    for f in dataclasses.fields(docindex.DocIndex):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and np.array_equal(x, y), f.name
        elif isinstance(x, docindex.Codes):
            assert x.values == y.values and x.index == y.index, f.name
        else:
            assert x == y, f.name


def test_saved_index_is_reloaded_identical_while_the_archive_is_unchanged(archive):
    settings, _ = archive
    built = open_store(settings, read_only=True).doc_index()
    saved = Path(open_store(settings).cache_path("docindex"))
    assert saved.is_dir()
    loaded = docindex.load(str(saved), built.generation)
    assert loaded is not None
    assert mapped(loaded.ent_doc)  # shared by the server's processes
    assert_same_index(built, loaded)
    assert loaded.entity_counts(np.ones(loaded.size, dtype=bool)) == built.entity_counts(np.ones(built.size, dtype=bool))


def test_an_import_makes_the_saved_index_stale(fresh_db, tmp_path):
    store = open_store(fresh_db)
    import_paths(store, [str(SAMPLES / "01-dgst-guardia-civil-cell.txt")], workers=1)
    before = store.doc_index()
    assert before.size == 1
    import_paths(store, [str(SAMPLES)], workers=1)
    assert docindex.load(store.cache_path("docindex"), store.index_key()) is None  # saved before: stale
    after = open_store(fresh_db, read_only=True).doc_index()
    assert after.size == 8 and after.generation != before.generation


def test_a_damaged_or_foreign_index_file_is_ignored_and_rebuilt(fresh_db):
    store = open_store(fresh_db)
    import_paths(store, [str(SAMPLES)], workers=1)
    path = Path(store.cache_path("docindex"))
    open_store(fresh_db, read_only=True).doc_index()  # built and saved
    for damage in ("ids.npy", "meta.json", "ent_codes.npy"):
        (path / damage).write_bytes(b"PK\x03\x04 not really an array \xff")
        assert docindex.load(str(path), store.index_key()) is None
        assert open_store(fresh_db, read_only=True).doc_index().size == 8
        assert docindex.load(str(path), store.index_key()) is not None  # rewritten whole


def test_saved_vocabulary_gives_the_same_suggestions_and_goes_stale_with_an_import(fresh_db):
    from app.search.suggest import Vocabulary

    store = open_store(fresh_db)
    import_paths(store, [str(SAMPLES)], workers=1)
    built = open_store(fresh_db, read_only=True).vocabulary()
    path = store.cache_path("vocabulary")
    key, loaded = Vocabulary.load(path)
    assert key == store.index_key() and loaded.words == built.words and loaded.stems == built.stems
    # memory-mapped, so that the server's processes share one copy
    assert mapped(loaded.words.buffer) and mapped(loaded._keys)
    for word in ("Hamouchi", "Intrpol", "securite", "Guardia", "xyzzy", "cellule"):
        assert loaded.suggest(word) == built.suggest(word) and loaded.known(word.lower()) == built.known(word.lower())
    server = open_store(fresh_db, read_only=True)
    server.build_postings = True  # as `serve` runs it
    assert server.vocabulary().words == built.words
    import_paths(store, [str(Path(__file__).parent / "fixtures" / "cp1252.txt")], workers=1)
    assert Vocabulary.load(path)[0] != store.index_key()
    assert server.vocabulary() is not None  # the previous one, at once, while a thread rebuilds it
    for _ in range(100):
        if Vocabulary.load(path)[0] == store.index_key():
            break
        time.sleep(0.05)
    assert Vocabulary.load(path)[0] == store.index_key()
    assert open_store(fresh_db, read_only=True).vocabulary().words == Vocabulary.load(path)[1].words


def test_a_server_never_waits_for_the_first_vocabulary_a_zero_hit_search_answers_at_once(fresh_db):
    store = open_store(fresh_db)
    import_paths(store, [str(SAMPLES)], workers=1)
    server = open_store(fresh_db, read_only=True)
    server.build_postings = True  # as `serve` runs it
    release = server._vocab_building  # hold the build: the search must not wait for it
    release.acquire()
    try:
        assert server.vocabulary() is None
        r = server.search(SearchParams(q="Intrpol zzyzx"))
        assert r.total == 0 and r.did_you_mean is None
    finally:
        release.release()
    assert server.vocabulary() is None  # started now, in a thread
    for _ in range(200):
        if server.vocabulary() is not None:
            break
        time.sleep(0.05)
    assert server.search(SearchParams(q="Intrpol")).did_you_mean is not None


def test_a_page_in_date_order_is_the_slice_of_the_full_order(archive):
    """page_by_date partitions before it sorts; ties (many articles share an import time) go by id."""
    settings, _ = archive
    idx = open_store(settings, read_only=True).doc_index()
    rng = np.random.default_rng(7)
    for trial in range(300):
        mask = rng.random(idx.size) < rng.choice([0.2, 0.6, 1.0])
        newest, offset, limit = bool(trial % 2), int(rng.integers(0, 6)), int(rng.integers(1, 6))
        assert idx.page_by_date(mask, newest, offset, limit) == idx.ordered_by_date(mask, newest)[offset:offset + limit].tolist()


def test_an_import_leaves_the_index_files_ready_for_serve_and_a_small_one_leaves_them_to_serve(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from app.storage import sqlite_indexes

    from app.cli import app as cli
    from app.search import postings as postings_io
    from app.search.suggest import Vocabulary

    db = tmp_path / "a.db"
    run = CliRunner().invoke(cli, ["import", "--quiet", "--db", str(db), str(SAMPLES)])
    assert run.exit_code == 0, run.output
    store = open_store(settings_for(db), read_only=True)
    key = store.index_key()
    assert docindex.load(store.cache_path("docindex"), key) is not None
    assert Vocabulary.load(store.cache_path("vocabulary"))[0] == key
    assert postings_io.load(store.cache_path("postings"), key) is not None
    monkeypatch.setattr(sqlite_indexes, "REBUILD_SHARE", 0.5)  # 1 article added to 8: under half
    one = Path(__file__).parent / "fixtures" / "cp1252.txt"
    run = CliRunner().invoke(cli, ["import", "--quiet", "--db", str(db), str(one)])
    assert run.exit_code == 0, run.output
    assert store.index_key() != key and Vocabulary.load(store.cache_path("vocabulary"))[0] == key  # left to serve
    run = CliRunner().invoke(cli, ["import", "--quiet", "--no-index-files", "--db", str(tmp_path / "b.db"), str(SAMPLES)])
    assert run.exit_code == 0 and not Path(f"{tmp_path / 'b.db'}-vocabulary").exists()


def test_facets_of_a_small_result_set_count_its_own_tags_as_the_whole_index_would(archive, monkeypatch):
    """entity_counts reads a few matches' tags row by row (docindex.SPARSE): the same counts as
    the pass over every tag, for every kind of count."""
    settings, _ = archive
    idx = open_store(settings, read_only=True).doc_index()
    rng = np.random.default_rng(11)
    for trial in range(60):
        mask = rng.random(idx.size) < rng.choice([0.01, 0.1, 0.5])
        for about, named in ((False, False), (True, False), (False, True)):
            monkeypatch.setattr(docindex, "SPARSE", 0)
            dense = idx.entity_counts(mask, about, named)
            monkeypatch.setattr(docindex, "SPARSE", 10**9)
            assert idx.entity_counts(mask, about, named) == dense


def test_sorted_strings_between_reads_a_slice_of_words():
    from app.search.packing import SortedStrings

    words = SortedStrings.of(["état", "etat", "zèbre", "a", "déjà", "b"])
    assert [words[i] for i in range(len(words))] == sorted(["état", "etat", "zèbre", "a", "déjà", "b"])
    for lo, hi in ((0, 6), (1, 4), (2, 3), (3, 3), (5, 2)):
        assert words.between(lo, hi) == [words[i] for i in range(lo, hi)]
