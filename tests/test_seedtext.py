from datetime import datetime
from pathlib import Path

import pytest

from app.ingest.decode import decode_bytes
from app.ingest.seedtext import (
    EmptyArticleError,
    derive_title,
    find_date,
    is_block_header,
    is_boilerplate,
    is_pointer_header,
    is_source_line,
    is_teaser,
    looks_like_title,
    parse_seed_text,
)

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = Path(__file__).resolve().parents[1] / "app" / "samples"


def seed(prefix: str):
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (shared folder not mounted)")
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return parse_seed_text(decode_bytes(path.read_bytes()), str(path))


# -- the five seeds ----------------------------------------------------------------------------

@pytest.mark.parametrize(("prefix", "title"), [
    ("000", "New Year’s Celebrations: European Police Request Moroccan Assistance"),
    ("001", "Euro-Moroccan Front to Counter Growing Terror Threat"),
    ("002", "Morocco, Three European Countries Set up Joint Security Cell"),
    ("003", "Published on Monday, the report recalled that the US and Morocco have a long "
            "“history of strong”…"),
    ("004", "Des pays européens sont séduits par l’expérience marocaine dans la lutte contre "
            "le terrorisme"),
])
def test_seed_titles(prefix, title):
    assert seed(prefix).title == title


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_body_has_no_boilerplate_teasers_or_source(prefix):
    record = seed(prefix)
    lines = record.body.split("\n")
    assert "Share This" not in record.body
    assert "Add Comment" not in record.body
    assert not any(line.startswith("Source") for line in lines)
    assert not any(is_teaser(line) for line in lines)
    assert record.title not in lines  # the repeated title is dropped
    assert record.body == record.body.strip()
    assert "\n\n\n" not in record.body
    assert record.format == "text"
    assert record.origin.endswith(".txt")


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_seed_with_repeated_title_keeps_it_once(prefix):
    record = seed(prefix)
    assert not record.title_derived
    assert record.title not in record.body
    assert record.body.endswith(".") or record.body.endswith("professional")


def test_seed_000_keeps_a_paragraph_with_the_authors_own_ellipses():
    assert "London, Paris, Brussels, Madrid, Berlin, New York…" in seed("000").body


def test_seed_003_starts_mid_text_so_its_title_is_derived():
    record = seed("003")
    assert record.title_derived
    assert len(record.title) <= 100
    assert record.body.startswith("Published on Monday, the report recalled")
    assert record.source == "Morocco World News"
    assert "Morocco World News" not in record.body
    assert record.body.endswith("North Africa region.")
    # one paragraph per line, since the text has no blank lines
    assert "\n\nAnti-radicalization, extremism initiatives\n\n" in record.body


def test_seed_003_has_no_date_from_relative_mentions():
    record = seed("003")
    assert record.published_at is None  # "Published on Monday", "last week on February 21"
    assert record.published_how == "unknown"


def test_seed_004_drops_teasers_and_the_related_block():
    record = seed("004")
    assert record.title_derived
    assert record.body.startswith("Des pays européens")
    assert record.body.endswith("précise la même source.")
    for gone in ("BCIJ", "Aller plus loin", "...", "Lutte contre le terrorisme : le Maroc",
                 "Ces articles", "Luqman", "Tétouan"):
        assert gone not in record.body
    assert record.body.count("\n\n") == 4


def test_seed_original_text_is_kept_exactly():
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS} (shared folder not mounted)")
    path = next(SEEDS.glob("004_*.txt"))
    text = decode_bytes(path.read_bytes())
    assert parse_seed_text(text, str(path)).original_text == text


# -- line classifiers --------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("Le Maroc et l’ONU ont signé mardi un accord pour la lutte contre le...", True),
    ("Un suspect a été arrêté à Tanger par la police…", True),
    ("Au nombre des objets saisis, se trouve l’un des livres les plus...", True),
    ("London, Paris, New York… with armed police in venues, strategic sites…", False),
    ("Interpol issued a red notice.", False),
    ("The minister said: “We will continue”", False),
    ("", False),
])
def test_is_teaser(line, expected):
    assert is_teaser(line) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Share This", True), ("share this", True), ("Add Comment", True), ("Tweet", True),
    ("Print", True), ("Comments", True), ("Partager", True), ("Commenter", True),
    ("  Share  ", True), ("Share this with the minister", False),
    ("Print media reported the arrests.", False),
])
def test_is_boilerplate(line, expected):
    assert is_boilerplate(line) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Aller plus loin", True), ("Ces articles devraient vous intéresser :", True),
    ("Sur le même sujet", True), ("Related articles", True), ("Related", True),
    ("Related talks continued in Madrid.", False), ("Aller plus loin dans la coopération", False),
])
def test_is_block_header(line, expected):
    assert is_block_header(line) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Lire aussi", True), ("À lire aussi : Le BCIJ démantèle une cellule", True),
    ("Read also: Morocco and Spain sign a pact", True),
    ("Lire aussi les conclusions du rapport publié hier.", False),
])
def test_is_pointer_header(line, expected):
    assert is_pointer_header(line) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Source: Morocco World News", "Morocco World News"),
    ("Source : Le Desk", "Le Desk"),
    ("SOURCES: MAP.", "MAP"),
    ("Source: a senior security official speaking on condition of anonymity said the cell", None),
    ("The source said the cell was dismantled.", None),
])
def test_is_source_line(line, expected):
    assert is_source_line(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Morocco, Spain Dismantle Terror Cell", True),
    ("Lutte contre le terrorisme : le Maroc abrite un bureau de l’ONU", True),
    ("Is Europe Safer Thanks to Moroccan Intelligence?", True),
    ("<script>alert(1)</script> Interpol alert", True),
    ("The police arrested three suspects on Monday.", False),
    ("and three suspects were arrested", False),
    ("iPhone spyware alert issued by Europol", True),
    ("Terrorism", False),
    ("Rivals of the Dossier...", True),
    ("Accord signé entre le Maroc et le...", False),
    ("A" * 151, False),
])
def test_looks_like_title(line, expected):
    assert looks_like_title(line) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Published on February 21, 2022", datetime(2022, 2, 21)),
    ("Rabat, 21 février 2022", datetime(2022, 2, 21)),
    ("Rabat, le 1er octobre 2020 –", datetime(2020, 10, 1)),
    ("Mon, 21 Feb 2022 10:00:00 GMT", datetime(2022, 2, 21)),
    ("Updated 2024-03-03T09:15:00Z", datetime(2024, 3, 3, 9, 15)),
    ("Sept. 5, 2019", datetime(2019, 9, 5)),
    ("last week on February 21", None),
    ("In September 2016, the service warned", None),
    ("February 30, 2022", None),
])
def test_find_date(text, expected):
    found = find_date(text)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("Police arrested three men. They were charged on Friday.", "Police arrested three men"),
    ("Mr. Smith and the DGST agreed to share data. Talks went on.",
     "Mr. Smith and the DGST agreed to share data"),
    ("The " + "very " * 40 + "long sentence.", "The " + " ".join(["very"] * 19) + "…"),
    ("Officials from eleven countries met in Rabat on Tuesday to review a programme that is "
     "expected to train border officers from across the Sahel.",
     "Officials from eleven countries met in Rabat on Tuesday to review a programme that is "
     "expected…"),  # not "... expected to…"
])
def test_derive_title(paragraph, expected):
    title = derive_title(paragraph)
    assert title == expected
    assert len(title) <= 100


# -- whole texts, inline -----------------------------------------------------------------------

def parse(text: str):
    return parse_seed_text(text, "inline.txt")


def test_parse_title_blank_line_body():
    record = parse("Spain and Morocco Sign Pact\n\nThe two countries signed.\n\nMore talks.\n")
    assert (record.title, record.body) == ("Spain and Morocco Sign Pact",
                                           "The two countries signed.\n\nMore talks.")
    assert not record.title_derived


def test_parse_repeated_title_with_different_spacing():
    record = parse("Spain  and Morocco Sign Pact\n\nSpain and Morocco sign pact\n\nThe text.")
    assert record.body == "The text."


def test_parse_title_without_blank_lines():
    record = parse("Spain and Morocco Sign Pact\nThe two countries signed.\nMore talks.")
    assert record.title == "Spain and Morocco Sign Pact"
    assert record.body == "The two countries signed.\n\nMore talks."


def test_parse_first_line_ending_with_full_stop_is_body():
    record = parse("The suspects were arrested in Tangier.\n\nThey face charges.")
    assert record.title_derived
    assert record.title == "The suspects were arrested in Tangier"
    assert record.body.startswith("The suspects were arrested in Tangier.")


def test_parse_title_that_trails_off_is_still_the_title():
    record = parse("Rivals of the Dossier...\n\nThe text starts here.\n\nAnd ends here.")
    assert record.title == "Rivals of the Dossier..."
    assert record.body == "The text starts here.\n\nAnd ends here."


def test_parse_text_cut_mid_sentence_takes_its_title_from_the_next_sentence():
    record = parse("said the minister.\nThe DGST arrested two men in Fez. They were charged.")
    assert record.title == "The DGST arrested two men in Fez"
    assert record.body.startswith("said the minister.")


def test_parse_leading_teaser_card_is_not_the_title():
    record = parse("\nOther Headline Here\nA summary of another article that was cut in the...\n"
                   "Le texte commence ici. Il continue.\nSuite du texte.")
    assert record.body == "Le texte commence ici. Il continue.\n\nSuite du texte."
    assert record.title == "Le texte commence ici"


def test_parse_short_paragraph_above_a_trailing_off_paragraph_is_kept():
    record = parse("A Title Here\n\nFirst paragraph.\n\nA short exclamation of a reader!\n\n"
                   "Any list with this in it has to be suspect...\n\nLast paragraph.")
    assert "A short exclamation of a reader!" in record.body
    assert "suspect..." not in record.body


def test_parse_pointer_line_and_its_headline_are_dropped():
    record = parse("Titre de l’article\n\nPremier paragraphe.\n\nLire aussi\n"
                   "Le BCIJ démantèle une cellule\n\nDernier paragraphe.")
    assert record.body == "Premier paragraphe.\n\nDernier paragraphe."


def test_parse_related_block_cuts_to_the_end():
    record = parse("Title Of It\n\nBody.\n\nRelated articles\nSome Headline\nA full sentence.")
    assert record.body == "Body."


def test_parse_dateline_and_byline_become_metadata():
    record = parse("Joint Exercise Ends\n\nBy Jane Example\nPublished on March 3, 2024\n\n"
                   "The exercise ended.")
    assert record.author == "Jane Example"
    assert record.published_at == datetime(2024, 3, 3)
    assert record.published_how == "text"
    assert record.body == "The exercise ended."


def test_parse_french_dateline_at_start_of_body_is_kept_in_text():
    record = parse("Accord signé\n\nRabat, le 12 mars 2024 – Les deux services ont signé.")
    assert record.published_at == datetime(2024, 3, 12)
    assert record.body.startswith("Rabat, le 12 mars 2024")


def test_parse_date_deep_in_body_is_not_the_publication_date():
    record = parse("A Title Here\n\n" + "Some text. " * 20 + "\n\nOn March 3, 2024, it ended.")
    assert record.published_at is None


def test_parse_source_line_with_french_spacing():
    record = parse("Un titre court\n\nLe texte.\n\nSource : Le Desk\nPartager")
    assert record.source == "Le Desk"
    assert record.body == "Le texte."


def test_parse_only_teasers_raises():
    with pytest.raises(EmptyArticleError):
        parse("Aller plus loin\nUn article coupé au milieu de la...\n")
    with pytest.raises(ValueError):
        parse("   \n\n")


def test_parse_script_title_fixture_keeps_the_title_as_text():
    record = parse_seed_text(decode_bytes((FIXTURES / "script-title.txt").read_bytes()), "f")
    assert record.title == "<script>alert(1)</script> Interpol alert"
    assert "Morocco" in record.body and "Interpol" in record.body


# -- our own sample articles -------------------------------------------------------------------

def sample(name: str):
    path = SAMPLES / name
    return parse_seed_text(decode_bytes(path.read_bytes()), str(path))


def test_samples_are_eight_articles_five_english_three_french():
    from app.ingest.language import detect_language

    names = sorted(p.name for p in SAMPLES.glob("*.txt"))
    assert len(names) == 8
    languages = [detect_language(sample(name).body) for name in names]
    assert languages.count("en") == 5 and languages.count("fr") == 3


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_sample_parses_cleanly(name):
    record = sample(name)
    assert 10 <= len(record.title) <= 100
    assert not record.title[0].islower()
    lines = record.body.split("\n")
    assert not any(is_teaser(l) or is_boilerplate(l) or is_source_line(l) for l in lines)
    assert record.title not in lines


@pytest.mark.parametrize(("name", "title", "derived"), [
    ("01-dgst-guardia-civil-cell.txt",
     "Moroccan and Spanish Police Dismantle Cell Spanning Tangier and Algeciras", False),
    ("04-unoct-programme-office.txt", "The United Nations Office of Counter-Terrorism (UNOCT) "
     "programme office in Rabat is expected…", True),
    ("07-bcij-cellule-teasers.txt", "Le BCIJ a démantelé mercredi une cellule de trois personnes "
     "soupçonnées de préparer des attaques…", True),
])
def test_sample_titles(name, title, derived):
    record = sample(name)
    assert (record.title, record.title_derived) == (title, derived)


def test_sample_metadata():
    assert sample("02-interpol-europol-joint-operation.txt").published_at == datetime(2024, 3, 3)
    assert sample("06-dgsi-bcij-cooperation.txt").published_at == datetime(2024, 3, 12)
    assert sample("03-fbi-training-rabat.txt").source == "Rabat Security Review"
    assert sample("08-europol-rapport-fr.txt").source == "Agence de presse fictive"


def test_sample_with_teasers_keeps_only_its_own_text():
    body = sample("07-bcij-cellule-teasers.txt").body
    for gone in ("Nador", "Melilla", "Interpol", "Anvers", "Aller plus loin", "…"):
        assert gone not in body
    assert body.endswith("affaires de terrorisme.")
