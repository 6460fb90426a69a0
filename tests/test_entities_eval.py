"""bench/entities_eval.py: scoring per kind, place-derived "located" tags, the held-out labels."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import entities_eval as ev  # noqa: E402
import entities_eval_corpora as corpora  # noqa: E402

needs_corpora = pytest.mark.skipif(
    not all(p.exists() for p in corpora.SOURCES.values()),
    reason=f"{corpora.CORPORA} is absent: the labelled texts are read from the shared corpora")


def tag(entity_id, **extra):
    mention = SimpleNamespace(sentence=f"sentence naming {entity_id}")
    return SimpleNamespace(entity_id=entity_id, about=False, mentions=(mention,), **extra)


TYPES = {"ma": "country", "fr": "country", "dgsn": "agency", "isis": "group"}.get


def article(gold, predicted=None, lang="fr", id_="1"):
    a = corpora.Article("orangesum", id_, lang, "t", "b", gold)
    a.predicted = predicted or {}
    return a


def test_tags_split_into_kinds_and_groups_are_their_own_kind():
    predicted, sentences = ev.predicted_kinds([tag("ma"), tag("dgsn"), tag("isis")], TYPES)
    assert predicted == {"country": {"ma"}, "agency": {"dgsn"}, "group": {"isis"},
                         "located": set()}
    assert sentences["dgsn"] == "sentence naming dgsn"


def test_a_place_derived_tag_counts_as_located_and_a_located_only_one_not_as_a_country():
    tags = [tag("ma", located=True, located_only=True), tag("fr", located=True)]
    predicted, _ = ev.predicted_kinds(tags, TYPES)
    assert predicted["located"] == {"ma", "fr"}
    assert predicted["country"] == {"fr"}


def test_precision_recall_f1_and_a_precision_only_target():
    arts = [article({"located": {"ma", "fr"}}, {"located": {"ma", "es"}})]
    s = ev.score(arts, "located", (0.95, None))
    assert (s["tp"], s["fp"], s["fn"]) == (1, 1, 1)
    assert (s["precision"], s["recall"], s["f1"]) == (0.5, 0.5, 0.5)
    assert s["pass"] is False
    assert ev.score(arts, "located")["pass"] is None  # no target: for information


def test_a_kind_is_scored_only_where_every_article_labels_it_and_located_only_when_tagged():
    tuning = [article({"country": set(), "agency": set()})]
    heldout = [article({"country": set(), "agency": set(), "group": set(), "located": set()})]
    assert ev.scored_kinds(tuning, located=True) == ["country", "agency"]
    assert ev.scored_kinds(heldout, located=False) == ["country", "agency", "group"]
    assert ev.scored_kinds(heldout, located=True) == ["country", "agency", "group", "located"]


def test_worst_entities_rank_by_error_count_with_example_articles():
    empty = {"country": set(), "agency": set()}
    arts = [article(empty, {"country": {"fr"}, "agency": set()}, id_=str(i)) for i in range(3)]
    arts.append(article({"country": set(), "agency": {"un"}}, {"country": {"lu"},
                                                              "agency": set()}, id_="9"))
    worst = ev.worst_entities(ev.errors(arts, ["country", "agency"]), 5)
    assert [(w["entity"], w["count"]) for w in worst["FP"]] == [("fr", 3), ("lu", 1)]
    assert worst["FP"][0]["articles"] == ["orangesum:0", "orangesum:1", "orangesum:2"]
    assert [(w["type"], w["entity"]) for w in worst["FN"]] == [("agency", "un")]


def test_targets_hold_per_language_and_the_all_row_is_for_information():
    good = {"country": {"ma"}, "agency": set()}
    arts = [article(good, dict(good), lang="fr"), article(good, {"country": set(),
                                                                  "agency": set()}, lang="en")]
    rep = ev.report(arts, "tuning", located=False)
    assert rep["scores"]["fr"]["country"]["pass"] is True
    assert rep["scores"]["en"]["country"]["pass"] is False
    assert rep["scores"]["all"]["country"]["pass"] is None
    assert rep["pass"] is False


def test_place_labels_are_counted_per_language_as_article_country_pairs():
    a = article({"country": set(), "agency": set(), "located": {"fr", "es"}})
    a.places = [{"name": "Nice", "country": "fr"}, {"name": "Toulon", "country": "fr"},
                {"name": "Barcelone", "country": "es"}]
    counts = ev.place_counts([a])
    assert counts == {"fr": {"articles": 1, "with_places": 1, "places": 3,
                             "located_pairs": 2, "countries": 2}}


@pytest.mark.parametrize("path, least, least_fr",
                         [(corpora.HELDOUT, 100, 40), (corpora.HELDOUT2, 100, 40),
                          (corpora.HELDOUT3, 60, 25), (corpora.HELDOUT4, 100, 45),
                          (corpora.HELDOUT5, 90, 30), (corpora.HELDOUT6, 100, 45)],
                         ids=["heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6"])
def test_heldout_lines_hold_references_and_labels_never_text(path, least, least_fr):
    countries = set(yaml.safe_load((ROOT / "app/entities/data/countries.yaml").read_text()))
    rows = corpora.read_rows(path)
    assert len(rows) >= least and sum(r["lang"] == "fr" for r in rows) >= least_fr
    for r in rows:
        assert set(r) <= {"corpus", "id", "lang", "stratum", "sha1", "countries", "agencies",
                          "groups", "places", "notes"}
        assert set(r["countries"]) <= countries
        assert {p["country"] for p in r["places"]} <= countries
        assert all(set(p) == {"name", "country"} for p in r["places"])
    assert len({(r["corpus"], r["id"]) for r in rows}) == len(rows)


def test_heldout_shares_no_article_with_the_tuning_set():
    tuning = {(r["corpus"].removesuffix("-full"), str(r["id"]))
              for r in corpora.read_rows(corpora.LABELS)}
    heldout = {(r["corpus"].removesuffix("-full"), str(r["id"]))
               for r in corpora.read_rows(corpora.HELDOUT)}
    assert not tuning & heldout


def test_the_second_heldout_set_shares_no_article_with_either_earlier_set():
    def keys(path):
        return {(r["corpus"].removesuffix("-full"), str(r["id"])) for r in corpora.read_rows(path)}
    assert not keys(corpora.HELDOUT2) & (keys(corpora.LABELS) | keys(corpora.HELDOUT))


def test_the_third_heldout_set_shares_no_article_with_any_earlier_set():
    def keys(path):
        return {(r["corpus"].removesuffix("-full"), str(r["id"])) for r in corpora.read_rows(path)}
    earlier = keys(corpora.LABELS) | keys(corpora.HELDOUT) | keys(corpora.HELDOUT2)
    assert not keys(corpora.HELDOUT3) & earlier


def test_the_fourth_heldout_set_shares_no_article_with_any_earlier_set():
    def keys(path):
        return {(r["corpus"].removesuffix("-full"), str(r["id"])) for r in corpora.read_rows(path)}
    earlier = (keys(corpora.LABELS) | keys(corpora.HELDOUT) | keys(corpora.HELDOUT2)
               | keys(corpora.HELDOUT3))
    assert not keys(corpora.HELDOUT4) & earlier


def test_the_fifth_heldout_set_shares_no_article_with_any_earlier_set():
    def keys(path):
        return {(r["corpus"].removesuffix("-full"), str(r["id"])) for r in corpora.read_rows(path)}
    earlier = (keys(corpora.LABELS) | keys(corpora.HELDOUT) | keys(corpora.HELDOUT2)
               | keys(corpora.HELDOUT3) | keys(corpora.HELDOUT4))
    assert not keys(corpora.HELDOUT5) & earlier


def test_the_sixth_heldout_set_shares_no_article_with_any_earlier_set():
    def keys(path):
        return {(r["corpus"].removesuffix("-full"), str(r["id"])) for r in corpora.read_rows(path)}
    earlier = (keys(corpora.LABELS) | keys(corpora.HELDOUT) | keys(corpora.HELDOUT2)
               | keys(corpora.HELDOUT3) | keys(corpora.HELDOUT4) | keys(corpora.HELDOUT5))
    assert not keys(corpora.HELDOUT6) & earlier


def test_the_sixth_heldout_set_is_sealed_and_has_agency_labels_in_each_language():
    rows = corpora.read_rows(corpora.HELDOUT6)
    assert "heldout6" in ev.SEALED and ev.TARGETS["heldout6"] == ev.TARGETS["heldout"]
    for lang in ("en", "fr"):
        assert sum(len(r["agencies"]) for r in rows if r["lang"] == lang) >= 50


def test_the_fifth_heldout_set_is_sealed_and_mostly_english():
    rows = corpora.read_rows(corpora.HELDOUT5)
    assert "heldout5" in ev.SEALED and ev.TARGETS["heldout5"] == ev.TARGETS["heldout"]
    assert sum(r["lang"] == "en" for r in rows) >= 60
    assert sum(len(r["agencies"]) for r in rows if r["lang"] == "en") >= 80


def test_the_fourth_heldout_set_has_forty_agency_labels_in_each_language():
    rows = corpora.read_rows(corpora.HELDOUT4)
    for lang in ("en", "fr"):
        assert sum(len(r["agencies"]) for r in rows if r["lang"] == lang) >= 40


@needs_corpora
def test_a_corpus_text_that_changed_since_labelling_stops_the_script(tmp_path):
    row = json.loads(corpora.HELDOUT.read_text(encoding="utf-8").splitlines()[0])
    row["sha1"] = "0" * 40
    labels = tmp_path / "heldout.jsonl"
    labels.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="changed since it was labelled"):
        corpora.load_articles(labels)


@needs_corpora
def test_heldout_is_exactly_the_seeded_draw(capsys):
    sys.path.insert(0, str(ROOT / "bench" / "entities_eval"))
    import draw_heldout
    assert draw_heldout.main(["--check"]) == 0
    assert "matches the draw" in capsys.readouterr().out
    assert draw_heldout.main(["--set", "heldout2", "--check"]) == 0
    assert "heldout2.jsonl matches the draw" in capsys.readouterr().out
    assert draw_heldout.main(["--set", "heldout3", "--check"]) == 0
    assert "heldout3.jsonl matches the draw" in capsys.readouterr().out
    assert draw_heldout.main(["--set", "heldout4", "--check"]) == 0
    assert "heldout4.jsonl matches the draw" in capsys.readouterr().out
    assert draw_heldout.main(["--set", "heldout5", "--check"]) == 0
    assert "heldout5.jsonl matches the draw" in capsys.readouterr().out
    assert draw_heldout.main(["--set", "heldout6", "--check"]) == 0
    assert "heldout6.jsonl matches the draw" in capsys.readouterr().out
    assert draw_heldout.main(["--set", "heldout7", "--check"]) == 0
    assert "heldout7.jsonl matches the draw" in capsys.readouterr().out
    assert draw_heldout.main(["--set", "heldout8", "--check"]) == 0
    assert "heldout8.jsonl matches the draw" in capsys.readouterr().out
    assert draw_heldout.main(["--set", "heldout9", "--check"]) == 0
    assert "heldout9.jsonl matches the draw" in capsys.readouterr().out
    assert draw_heldout.main(["--set", "heldout10", "--check"]) == 0
    assert "heldout10.jsonl matches the draw" in capsys.readouterr().out


@needs_corpora
def test_the_sealed_set_prints_its_figures_but_not_its_errors(capsys):
    ev.main(["--set", "heldout3", "--json", "--show-errors", "50"])
    rep = json.loads(capsys.readouterr().out)["sets"]["heldout3"]
    assert rep["sealed"] is True and rep["errors"] == [] and rep["worst"] == {"FP": [], "FN": []}
    assert rep["scores"]["en"]["agency"]["tp"] + rep["scores"]["en"]["agency"]["fn"] > 0
    ev.main(["--set", "heldout3", "--show-errors", "50"])
    out = capsys.readouterr().out
    assert "heldout3 is sealed" in out and "  FN " not in out and "  FP " not in out
