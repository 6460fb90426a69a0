"""The approximate vector index (app/search/ann.py) on a real archive built by the importer and
embedded by the real embed stage with the deterministic hashing embedder: forced on (its size
threshold at 0), it must give the exact index's top hits, keep filters, and give way to the exact
index, with a log line, when its file is missing, stale or damaged."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from app.embeddings.hashing import HashingEmbedder
from app.embeddings.stage import embed_archive
from app.ingest.load import import_paths
from app.search import ann
from app.search.params import SearchParams
from app.search.vectors import VectorIndex
from app.store import open_store
from tests.conftest import SAMPLES, SEEDS, SHARED

ORANGESUM = SHARED / "corpora" / "orangesum-fr" / "orangesum_fr_3012.jsonl.gz"  # 3,012 French articles

pytest.importorskip("usearch", reason="usearch is not installed")

QUERIES = ("Interpolx Europolx forgedx passportx", "terrorismex arrestationsx européennex", "Europol",
           "terrorisme Maroc", "police cooperation against trafficking", "attentat déjoué en Espagne")


@pytest.fixture
def wide(monkeypatch):
    """A search list as long as the archive: the hashing embedder's vectors have no clusters
    (near-random in 512 dimensions, the hardest case for a graph), where the default list misses
    about one of the ten nearest; these tests check the path (rescoring, filters, order), and
    bench/meaning_ann.py measures the recall on clustered vectors."""
    monkeypatch.setattr(ann, "EXPANSION_SEARCH", 4096)


def settings_for(path, ann_min: int):
    from app.config import Settings

    return Settings(database_url=f"sqlite:///{path}", embedder="hashing", vector_ann_min=ann_min)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("ann") / "archive.db"
    paths = [str(SAMPLES)] + [str(p) for p in (SEEDS, ORANGESUM) if p.exists()]  # enough rows for a graph
    import_paths(open_store(settings_for(path, 0)), paths, workers=1)
    embed_archive(str(path), HashingEmbedder(), workers=1)
    # One thread: a graph built by several is not the same from run to run (one CI run in many
    # missed a nearest article at index 7 with the wide list); built by one, it is.
    built = open_store(settings_for(path, 0)).build_vector_index(threads=1)
    assert built > 0 and Path(f"{path}-vectors/graph.usearch").is_file()
    assert ann.read_meta(f"{path}-vectors")["codes"] == "graph"  # one copy of the codes: the graph's
    return path


def reader(path, ann_min: int):
    return open_store(settings_for(path, ann_min), read_only=True)


def indexes(path):
    approx, exact = reader(path, 0).vector_index("hashing-v1"), reader(path, 10**9).vector_index("hashing-v1")
    assert isinstance(approx, ann.AnnIndex) and isinstance(exact, VectorIndex)
    return approx, exact


def test_the_approximate_index_gives_the_exact_nearest_articles_and_similarities(archive, monkeypatch, wide):
    monkeypatch.setattr(ann, "EXACT_ROWS", 0)  # the graph path, not the exact product over few rows
    approx, exact = indexes(archive)
    assert approx.size == exact.size and np.array_equal(approx.ids, exact.ids)
    model = HashingEmbedder()
    for q in QUERIES:
        v = model.embed_query(q)
        a_ids, a_sims = approx.nearest(v, 10)
        e_ids, e_sims = exact.nearest(v, 10)
        assert a_ids.tolist() == e_ids.tolist()
        assert np.allclose(a_sims, e_sims, atol=1e-5)
    some = int(exact.ids[3])
    assert np.allclose(approx.vector_of(some), exact.vector_of(some), atol=1e-5)


def test_hybrid_search_over_the_approximate_index_gives_the_same_pages_as_exact(archive, wide):
    for q in QUERIES:
        for mode in ("hybrid", "meaning"):
            a = reader(archive, 0).search(SearchParams(q=q, mode=mode))
            e = reader(archive, 10**9).search(SearchParams(q=q, mode=mode))
            assert [h.id for h in a.hits] == [h.id for h in e.hits], (q, mode)
            assert a.total == e.total and a.meaning.counts == e.meaning.counts
            assert [h.matched for h in a.hits] == [h.matched for h in e.hits]


@pytest.mark.parametrize("exact_rows", [0, 10**6])  # over-fetch and post-filter; filter first, exact product
def test_filters_hold_on_both_paths_of_the_approximate_index(archive, monkeypatch, wide, exact_rows):
    monkeypatch.setattr(ann, "EXACT_ROWS", exact_rows)
    for lang, q in (("fr", "terrorismex arrestationsx européennex"), ("en", "Interpolx Europolx forgedx passportx")):
        a = reader(archive, 0).search(SearchParams(q=q, lang=(lang,), mode="meaning"))
        e = reader(archive, 10**9).search(SearchParams(q=q, lang=(lang,), mode="meaning"))
        assert a.hits and {h.language for h in a.hits} == {lang}
        assert [h.id for h in a.hits] == [h.id for h in e.hits]


def test_a_filter_that_allows_few_rows_is_searched_exactly_over_them(archive, monkeypatch):
    approx, exact = indexes(archive)
    monkeypatch.setattr(approx, "_graph_rows", lambda *a: pytest.fail("the graph was asked"))
    allowed = np.zeros(approx.size, dtype=bool)
    allowed[::7] = True
    v = HashingEmbedder().embed_query("Europol")
    ids, _ = approx.nearest(v, 5, allowed)
    assert ids.tolist() == exact.nearest(v, 5, allowed)[0].tolist()
    assert set(ids.tolist()) <= set(approx.ids[allowed].tolist())


def test_the_sampled_spread_of_similarity_is_the_exact_one_on_a_small_archive(archive):
    approx, exact = indexes(archive)
    v = HashingEmbedder().embed_query("Europol")
    _, sims = exact.scores(v)
    mean, sd = approx.sim_stats(v, None)
    assert mean == pytest.approx(float(sims.mean()), abs=1e-5) and sd == pytest.approx(float(sims.std()), abs=1e-5)


def copy_archive(src, dst):
    for f in Path(src).parent.iterdir():
        if f.name.startswith(Path(src).name):
            (shutil.copytree if f.is_dir() else shutil.copy)(f, Path(dst).parent / f.name.replace(Path(src).name, Path(dst).name))


def test_a_stale_index_gives_way_to_the_exact_one_with_a_log_line_then_is_rebuilt(archive, tmp_path, caplog):
    path = tmp_path / "stale.db"
    copy_archive(archive, path)
    assert isinstance(reader(path, 0).vector_index("hashing-v1"), ann.AnnIndex)
    import_paths(open_store(settings_for(path, 0)), [str(Path(__file__).parent / "fixtures" / "cp1252.txt")], workers=1)
    embed_archive(str(path), HashingEmbedder(), workers=1)  # one more vector: the file is stale
    with caplog.at_level(logging.WARNING, logger="newsarchive"):
        store = reader(path, 0)
        found = store.vector_index("hashing-v1")
        assert isinstance(found, VectorIndex)
        assert store.search(SearchParams(q="Europol")).hits
    assert "approximate vector index stale" in caplog.text and "exactly" in caplog.text
    assert open_store(settings_for(path, 0)).build_vector_index() == found.size
    assert isinstance(reader(path, 0).vector_index("hashing-v1"), ann.AnnIndex)


@pytest.mark.parametrize("damage", ["missing", "meta", "graph", "slots"])
def test_a_missing_or_damaged_index_file_never_breaks_search(archive, tmp_path, caplog, damage):
    path = tmp_path / "damaged.db"
    copy_archive(archive, path)
    folder = Path(f"{path}-vectors")
    if damage == "missing":
        shutil.rmtree(folder)
    elif damage == "meta":
        (folder / "meta.json").write_text("{not json")
    else:
        f = folder / ("graph.usearch" if damage == "graph" else "slots.npy")
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 3])
    with caplog.at_level(logging.WARNING, logger="newsarchive"):
        store = reader(path, 0)
        assert isinstance(store.vector_index("hashing-v1"), VectorIndex)
        results = store.search(SearchParams(q="Interpolx Europolx forgedx passportx"))
    assert results.mode == "hybrid" and results.hits
    assert "approximate vector index" in caplog.text


def test_below_the_threshold_the_exact_index_serves_and_nothing_is_built(tmp_path):
    path = tmp_path / "small.db"
    import_paths(open_store(settings_for(path, 10**6)), [str(SAMPLES)], workers=1)
    embed_archive(str(path), HashingEmbedder(), workers=1)
    assert open_store(settings_for(path, 10**6)).build_vector_index() == 0
    assert not Path(f"{path}-vectors").exists()
    assert isinstance(reader(path, 10**6).vector_index("hashing-v1"), VectorIndex)


def test_cli_import_builds_the_index_beside_a_large_archive(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from app.cli import app

    monkeypatch.setenv("NEWSARCHIVE_EMBEDDER", "hashing")
    monkeypatch.setenv("NEWSARCHIVE_VECTOR_ANN_MIN", "5")
    db = str(tmp_path / "cli.db")
    out = CliRunner().invoke(app, ["import", "--db", db, str(SAMPLES)])
    assert out.exit_code == 0 and "approximate vector index beside the archive (8 vectors)" in out.output
    assert ann.read_meta(f"{db}-vectors")["size"] == 8


def test_a_server_builds_a_missing_index_in_the_background_and_then_serves_from_it(archive, tmp_path):
    import time

    path = tmp_path / "served.db"
    copy_archive(archive, path)
    shutil.rmtree(f"{path}-vectors")
    store = reader(path, 0)
    store.build_postings = True  # what serve sets: index files are built in the background
    assert isinstance(store.vector_index("hashing-v1"), VectorIndex)  # exact meanwhile, no wait
    deadline = time.monotonic() + 120
    while ann.read_meta(f"{path}-vectors") is None and time.monotonic() < deadline:
        time.sleep(0.2)
    store._ann_next_look = 0.0  # it looks again every few seconds
    assert isinstance(store.vector_index("hashing-v1"), ann.AnnIndex)
