"""Entities named in a query, across languages: app/search/aliases.py (pure, gazetteer data only)."""
from __future__ import annotations

import pytest

from app.search.aliases import entity_suggestions, expand_group_aliases


@pytest.mark.parametrize("words, expected", [
    (["Maroc"], ["ma"]), (["Morocco"], ["ma"]), (["marocain"], ["ma"]), (["MAROCAINE"], ["ma"]),
    (["BCIJ"], ["bcij"]), (["bcij"], ["bcij"]), (["Daech"], ["isis"]),
    (["attentat", "au", "Maroc"], ["ma"]),
    (["Direction", "générale", "de", "la", "sûreté", "nationale"], ["dgsn"]),
    (["Direction générale de la sûreté nationale"], ["dgsn"]),
    (["etat", "islamique"], ["isis"]),
    (["US"], ["us"]), (["FBI", "Maroc", "fbi"], ["fbi", "ma"]),
])
def test_query_words_naming_an_entity_suggest_it(words, expected):
    assert [e.id for e in entity_suggestions(words)] == expected


@pytest.mark.parametrize("word", ["us", "it", "ma", "de", "la", "un", "is", "ei", "the", "les", "let", "security"])
def test_short_or_common_lowercase_words_name_no_entity(word):
    assert entity_suggestions([word]) == []


def test_daech_expands_to_its_english_french_and_spanish_names():
    aliases = expand_group_aliases("Daech")
    for alias in ("Islamic State", "ISIS", "ISIL", "Daesh", "Daech", "État islamique", "Estado Islámico"):
        assert alias in aliases
    assert aliases[0] == "Islamic State"


def test_group_aliases_leave_out_words_that_are_common_text():
    aliases = expand_group_aliases("ISIS")
    assert "IS" not in aliases and "EI" not in aliases
    assert expand_group_aliases("Lashkar-e-Taiba") and "LeT" not in expand_group_aliases("Lashkar-e-Taiba")


def test_group_aliases_keep_one_spelling_and_no_longer_phrase_containing_another():
    aliases = expand_group_aliases("État islamique")
    assert "Etat islamique" not in aliases and "groupe État islamique" not in aliases
    assert "ISIS-K" not in aliases  # "ISIS" already finds it


def test_only_groups_expand():
    assert expand_group_aliases("Morocco") == []
    assert expand_group_aliases("BCIJ") == []
    assert expand_group_aliases("is") == [] and expand_group_aliases("") == []
