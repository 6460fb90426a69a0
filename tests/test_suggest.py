"""“Did you mean”: app/search/suggest.py, on tiny vocabularies and on the seeds' real index."""
from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from app.config import Settings
from app.ingest.load import import_paths
from app.storage.sqlite import connect
from app.search.suggest import Vocabulary, distance, distances, vocabulary_from_fts
from app.store import open_store

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"{SEEDS} is absent: the shared seed articles are not beside this checkout")
SAMPLES = Path(__file__).resolve().parents[1] / "app" / "samples"


@pytest.mark.parametrize("a, b, expected", [
    ("hamouchi", "hammouchi", 1), ("secuirty", "security", 1), ("terorisme", "terrorisme", 1),
    ("abc", "abc", 0), ("ca", "abc", 3), ("kitten", "sitting", 3), ("", "ab", 2),
])
def test_distance_is_damerau_levenshtein_with_adjacent_swaps(a, b, expected):
    assert distance(a, b, limit=5) == expected
    assert distances(a, [b, a])[0] == expected if a else True


def test_distance_stops_above_the_limit():
    assert distance("abcdefgh", "zyxwvuts", limit=2) == 3


def test_vectorised_distances_agree_with_the_scalar_one():
    rng = random.Random(7)
    for _ in range(300):
        a = "".join(rng.choices("abcd", k=rng.randint(1, 8)))
        others = ["".join(rng.choices("abcd", k=rng.randint(0, 9))) for _ in range(6)]
        assert [min(int(d), 4) for d in distances(a, others)] == [distance(a, o, 3) for o in others]


def test_suggests_the_closest_indexed_name():
    vocab = Vocabulary([("hammouchi", 1), ("morocco", 40), ("security", 90)])
    assert vocab.suggest("Hamouchi") == "hammouchi"
    assert vocab.suggest("secuirty") == "security"


def test_prefers_the_more_frequent_word_then_the_closer_one():
    assert Vocabulary([("terrorism", 50), ("terrorisme", 50)]).suggest("terorism") == "terrorism"
    assert Vocabulary([("terrorism", 5), ("terrorisme", 50)]).suggest("terorism") == "terrorisme"


def test_short_words_allow_one_edit_and_long_words_two():
    vocab = Vocabulary([("cell", 10), ("terrorism", 10)])
    assert vocab.suggest("cel") == "cell"
    assert vocab.suggest("cxly") is None  # 2 edits on a 4-letter word
    assert vocab.suggest("terorsm") == "terrorism"  # 2 edits on a 7-letter word


def test_never_suggests_the_word_itself_nor_for_very_short_words():
    vocab = Vocabulary([("police", 10), ("polise", 1), ("un", 100), ("us", 50)])
    assert vocab.suggest("police") == "polise"
    assert vocab.suggest("ux") is None
    assert Vocabulary([("police", 10)]).suggest("police") is None
    assert Vocabulary([]).suggest("police") is None


def test_known_checks_words_and_indexed_stems():
    vocab = Vocabulary([("security", 3)], stems=["attack"])
    assert vocab.known("security") and vocab.known("attacks") and not vocab.known("atacks")
    assert Vocabulary([("attack", 3)], stems=["attack"]).corrections(["Atack", "attacks"]) == {"atack": "attack"}


def test_finds_typos_among_300k_words_looking_at_a_few_candidates_each():
    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = {"".join(rng.choices(letters, k=rng.randint(3, 14))) for _ in range(300_000)}
    vocab = Vocabulary((w, rng.randint(1, 1000)) for w in words)
    sample = rng.sample(sorted(words), 300)
    typos = [w[:2] + w[3:] if len(w) > 3 else w + "x" for w in sample]
    found = [vocab.suggest(t) for t in typos]
    assert all(f is not None for f in found)
    # The speed (under 5 ms a word, bench/README.md) comes from the deletion index: a word is
    # compared with the few words that share a deletion with it, not with 300,000 (a timed
    # assertion here failed on a loaded machine; this one fails only if the index stops working).
    examined = [len(vocab.candidates(t)) for t in typos]
    assert max(examined) < 1_000 and sum(examined) / len(examined) < 100, (max(examined), sum(examined) / len(examined))


@pytest.fixture(scope="module")
def seed_vocabulary(tmp_path_factory):
    path = tmp_path_factory.mktemp("suggest") / "archive.db"
    settings = Settings(database_url=f"sqlite:///{path}")
    import_paths(open_store(settings), [str(SEEDS), str(SAMPLES)], workers=1)
    conn = connect(str(path), read_only=True)  # as the web side opens it
    vocab = vocabulary_from_fts(conn)
    yield vocab, conn
    conn.close()


@needs_seeds
@pytest.mark.parametrize("typed, expected", [
    ("Hamouchi", "hammouchi"), ("secuirty", "security"), ("terorisme", "terrorisme"),
])
def test_suggests_surface_words_of_the_real_index(seed_vocabulary, typed, expected):
    vocab, _ = seed_vocabulary
    assert not vocab.known(typed.lower())
    assert vocab.suggest(typed) == expected
    assert vocab.known(expected)


@needs_seeds
def test_suggestions_are_typed_words_not_stems(seed_vocabulary):
    vocab, _ = seed_vocabulary
    assert "secur" in vocab.stems and "secur" not in vocab
    assert "terror" in vocab.stems


@needs_seeds
def test_building_from_a_read_only_connection_leaves_it_read_only(seed_vocabulary):
    _, conn = seed_vocabulary
    assert conn.execute("PRAGMA query_only").fetchone()[0] == 1
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("CREATE TABLE t(x)")


@needs_seeds
def test_rare_stems_of_unscanned_articles_are_offered_when_they_are_words(seed_vocabulary):
    _, conn = seed_vocabulary
    vocab = vocabulary_from_fts(conn, max_chars=1)  # reads only the newest article
    assert vocab.suggest("Hamouchi") == "hammouchi"  # a fixed point of the stemmers
    assert all(vocab.known(word) for word in vocab.words)  # every fallback stem is searchable


def test_sorted_strings_find_every_word_and_nothing_else_in_any_script():
    from app.search.packing import SortedStrings

    words = ["sécurité", "securite", "z", "à", "日本", "ab", "a", "abc", "ß"]
    s = SortedStrings.of(words + ["ab"])  # a repeat is kept once
    assert list(s) == sorted(set(words)) and len(s) == len(set(words))
    assert all(w in s and s[s.index(w)] == w for w in words)
    assert "abd" not in s and "" not in s and "sécurit" not in s and 3 not in s
    assert SortedStrings.of([]).index("a") == -1 and len(SortedStrings.of([])) == 0
