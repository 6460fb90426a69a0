"""Near-duplicate fingerprints: pure, no database. Corpus checks skip when ../shared is absent."""
from __future__ import annotations

import pickle
import tarfile
from collections import defaultdict
from pathlib import Path

import pytest

from app.ingest.seedtext import parse_seed_text
from app.ingest.stories import (NUM_PERM, SAME_STORY, Fingerprint, fingerprint, is_related,
                                is_same_story, similarity)
from app.search.text import WORD, fold

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
BBC = SHARED / "corpora" / "bbc-news" / "bbc-fulltext.tar.gz"
SAMPLES = Path(__file__).resolve().parents[1] / "app" / "samples"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"{SEEDS} is absent: the shared seeds are not beside this checkout")
needs_bbc = pytest.mark.skipif(not BBC.is_file(), reason=f"{BBC} is absent: the shared BBC corpus is not beside this checkout")

WIRE = (
    "Moroccan police arrested five suspects on Tuesday in the northern city of Tetouan, the interior "
    "ministry said, accusing them of planning attacks on public buildings. The suspects, aged 19 to 35, "
    "were in contact with fighters of the Islamic State group in the Sahel, the ministry said in a "
    "statement. Investigators seized chemicals, knives and propaganda material during searches of "
    "their homes. The Central Bureau of Judicial Investigations, which reports to the DGST, has "
    "dismantled more than 80 cells since it was created in 2015, according to official figures. "
    "Spanish police took part in the operation, the statement added, without giving details."
)


def seed_record(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return parse_seed_text(path.read_text(encoding="utf-8"), str(path))


def test_fingerprint_is_small_picklable_and_stable():
    fp = fingerprint("Title", WIRE)
    assert len(fp.minhash) == 4 * NUM_PERM
    assert pickle.loads(pickle.dumps(fp)) == fp
    assert fingerprint("Title", WIRE) == fp  # no per-process salt: workers agree
    assert all(0 <= v < 2**63 for v in fp.bands + fp.paragraphs + fp.anchors)  # SQLite INTEGER


def test_identical_bodies_have_similarity_one():
    assert similarity(fingerprint("a", WIRE).minhash, fingerprint("b", WIRE).minhash) == 1.0


def test_title_is_ignored_so_a_new_headline_is_the_same_story():
    a, b = fingerprint("Five arrested in Tetouan", WIRE), fingerprint("Morocco foils IS plot", WIRE)
    assert a == b and is_same_story(a, b)


def test_wire_story_with_a_sentence_changed_is_the_same_story():
    edited = WIRE.replace("Investigators seized chemicals, knives and propaganda material during searches of their homes.",
                          "Police said they had found explosives precursors and a flag of the group in one flat.")
    assert edited != WIRE
    assert is_same_story(fingerprint("", WIRE), fingerprint("", edited))


def test_boilerplate_added_around_the_text_is_the_same_story():
    padded = "Share This\n\n" + WIRE + "\n\nShare This\nAdd Comment"
    assert is_same_story(fingerprint("", WIRE), fingerprint("", padded))


def test_spacing_case_and_accents_do_not_change_the_fingerprint():
    text = "La Sûreté nationale a démantelé une cellule terroriste à Tanger, selon un communiqué officiel. " * 5
    assert fingerprint("", text).minhash == fingerprint("", fold(text).upper().replace(" ", "  ")).minhash


def test_word_boundaries_are_those_of_the_search_tokeniser():
    text = "L'ONU—selon l’AFP : 12 morts (Rabat), «sécurité» œuvre_d'art x2"
    ours = fingerprint("", text * 3)
    words = WORD.findall(fold(text * 3))
    joined = fingerprint("", " ".join(words))
    assert ours.minhash == joined.minhash


def test_short_body_never_groups():
    teaser = "Lire aussi: la DGSI déjoue un attentat à Strasbourg, selon le ministre."
    fp = fingerprint("", teaser)
    assert fp.bands == [] and not is_same_story(fp, fingerprint("", teaser))


def test_empty_body_is_similar_to_nothing():
    assert similarity(fingerprint("", "").minhash, fingerprint("", "").minhash) == 0.0
    assert fingerprint("", "") == Fingerprint(fingerprint("", "").minhash, [], [], [])


def test_different_samples_are_different_stories():
    fps = [fingerprint("", p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    assert len(fps) >= 5
    for i, a in enumerate(fps):
        for b in fps[i + 1:]:
            assert similarity(a.minhash, b.minhash) < SAME_STORY and not is_same_story(a, b)


def test_shared_exact_paragraph_makes_stories_related_not_versions():
    shared = "The counterterrorism services of the North African kingdom helped France, Belgium and Spain thwart attacks."
    a = fingerprint("", WIRE + "\n\n" + shared)
    b = fingerprint("", shared + "\n\n" + SAMPLES.joinpath("03-fbi-training-rabat.txt").read_text(encoding="utf-8"))
    assert not is_same_story(a, b) and is_related(a, b)


@needs_seeds
def test_seeds_000_and_001_share_a_paragraph_and_are_related_not_the_same_story():
    a, b = fingerprint(*_title_body(seed_record("000"))), fingerprint(*_title_body(seed_record("001")))
    assert similarity(a.minhash, b.minhash) < 0.2
    assert not is_same_story(a, b)
    assert is_related(a, b)


@needs_seeds
def test_other_seed_pairs_are_neither_same_nor_related():
    fps = {p: fingerprint(*_title_body(seed_record(p))) for p in ("000", "001", "002", "003", "004")}
    for x in fps:
        for y in fps:
            if x < y and (x, y) != ("000", "001"):
                assert not is_same_story(fps[x], fps[y]) and not is_related(fps[x], fps[y]), (x, y)


@needs_seeds
def test_seed_under_another_title_with_share_this_added_is_the_same_story():
    path = next(SEEDS.glob("000_*.txt"))
    text = path.read_text(encoding="utf-8")
    body = text.split("\n", 2)[2]
    variant = "Morocco helps Europe secure New Year\n\n" + body + "\nShare This\nShare This\n"
    original, reprint = seed_record("000"), parse_seed_text(variant, "variant.txt")
    assert is_same_story(fingerprint(*_title_body(original)), fingerprint(*_title_body(reprint)))
    # and with the boilerplate left in the body, as a cruder reader would
    assert is_same_story(fingerprint(*_title_body(original)), fingerprint("Other", body + "\nShare This\n"))


@pytest.fixture(scope="module")
def bbc():
    docs = {}
    with tarfile.open(BBC) as tar:
        for member in tar:
            if member.isfile() and member.name.endswith(".txt") and "README" not in member.name:
                title, _, body = tar.extractfile(member).read().decode("utf-8", "replace").partition("\n")
                docs[member.name] = (title.strip(), body.strip())
    return docs


@needs_bbc
def test_bbc_byte_identical_articles_all_group(bbc):
    by_text = defaultdict(list)
    for name, doc in bbc.items():
        by_text[doc].append(name)
    groups = [names for names in by_text.values() if len(names) > 1]
    assert len(groups) == 98
    for names in groups:
        a, b = (fingerprint(*bbc[n]) for n in names[:2])
        assert set(a.bands) & set(b.bands) and is_same_story(a, b)


@needs_bbc
def test_bbc_edited_reprint_is_the_same_story_and_a_follow_up_is_not(bbc):
    def fp(name):
        return fingerprint(*bbc[f"bbc/{name}.txt"])
    # Same headline, one sentence rewritten: estimated Jaccard ~0.55.
    assert is_same_story(fp("politics/088"), fp("politics/337"))
    # Same headline, story updated and largely rewritten (Jaccard ~0.3): related, not a version.
    assert not is_same_story(fp("sport/226"), fp("sport/232"))
    # A follow-up the next day (Jaccard ~0.47, different headline): not a version.
    assert not is_same_story(fp("politics/327"), fp("politics/328"))


@needs_bbc
def test_bbc_candidate_pairs_are_few(bbc):
    """LSH must not turn every article into a candidate of every other."""
    buckets = defaultdict(set)
    for name, doc in bbc.items():
        for band in fingerprint(*doc).bands:
            buckets[band].add(doc)  # identical texts count once
    pairs = sum(len(docs) * (len(docs) - 1) // 2 for docs in buckets.values())
    assert pairs < 3 * len(bbc)


def _title_body(record):
    return record.title, record.body


def test_fingerprints_of_a_batch_are_each_bodys_own(monkeypatch):
    from app.ingest import stories
    words = "la police marocaine a arrete un suspect pres de casablanca mardi soir".split()
    bodies = ["", "   ", "un", "deux mots", "trois quatre cinq six", "cinq mots pile ici la",
              " ".join(words * 2), " ".join(words * 3), "σύνορα και αστυνομία " * 12,
              "l'onu, l'otan; 9/11 -- u.s. " * 40, " ".join(words * 200), "fin."]
    alone = [stories.fingerprint("", body, body, passages=False) for body in bodies]
    assert stories.fingerprints(bodies) == alone
    assert [bool(fp.bands) for fp in alone] == [False] * 7 + [True] * 4 + [False]
    monkeypatch.setattr(stories, "BLOCK_BYTES", 300)  # blocks of a few bodies, one body past it
    assert stories.fingerprints(bodies) == alone
    assert stories.fingerprints([]) == []
