"""The query parser: a table of inputs, the tree they read as, and the warning (if any)."""
import random
import time

import pytest

from app.search.describe import describe, terms_of
from app.search.query import (
    MAX_TERMS, And, Not, Or, ParsedQuery, Phrase, Prefix, Term, parse,
)

T, P, X = Term, Phrase, Prefix

LONG_5000 = ("sécurité maroc " * 400)[:5000]

CASES = [
    # (input, expected tree, substring of a warning or None for no warning)
    ("", None, None),
    ("   \t\n ", None, None),
    ("morocco", T("morocco"), None),
    ("sécurité", T("sécurité"), None),
    ("Sécurité NATIONALE", And((T("Sécurité"), T("NATIONALE"))), None),
    ("morocco intelligence", And((T("morocco"), T("intelligence"))), None),
    # operator words with nothing to join are searched as words
    ("AND", T("AND"), None),
    ("NOT", T("NOT"), None),
    ("NEAR", T("NEAR"), None),
    ("NEAR(a b)", And((T("NEAR"), T("a"), T("b"))), None),
    ("a AND b", And((T("a"), T("b"))), None),
    ("a AND", And((T("a"), T("AND"))), None),
    ("a NOT", And((T("a"), T("NOT"))), None),
    ("a or b", And((T("a"), T("or"), T("b"))), None),
    # phrases
    ('"joint security cell"', P(("joint", "security", "cell")), None),
    ("“joint security cell”", P(("joint", "security", "cell")), None),
    ("« sécurité nationale »", P(("sécurité", "nationale")), None),
    ("„Sicherheit“ morocco", And((P(("Sicherheit",)), T("morocco"))), None),
    ("‘l’ONU condamne’", P(("l’ONU", "condamne")), None),
    ('"unbalanced', P(("unbalanced",)), 'unbalanced quote: read "unbalanced" as a phrase'),
    ('a "b c', And((T("a"), P(("b", "c")))), 'read "b c" as a phrase'),
    ('"', None, "unbalanced quote"),
    ('""', None, None),
    # OR binds tighter than the implicit AND
    ("a OR b", Or((T("a"), T("b"))), None),
    ("a OR b OR c", Or((T("a"), T("b"), T("c"))), None),
    ("a b OR c", And((T("a"), Or((T("b"), T("c"))))), None),
    ("(a OR b) c", And((Or((T("a"), T("b"))), T("c"))), None),
    ("OR a", T("a"), "dangling OR"),
    ("a OR", T("a"), "dangling OR"),
    ("a OR OR b", Or((T("a"), T("b"))), "dangling OR"),
    ("OR", None, "dangling OR"),
    # negation
    ("-isis morocco", And((Not(T("isis")), T("morocco"))), None),
    ('-"joint cell"', Not(P(("joint", "cell"))), None),
    ("-(a OR b) c", And((Not(Or((T("a"), T("b")))), T("c"))), None),
    ("NOT isis", Not(T("isis")), None),
    ("morocco NOT isis", And((T("morocco"), Not(T("isis")))), None),
    ("NOT NOT isis", T("isis"), None),
    ("-(-isis)", T("isis"), None),
    ("- isis", T("isis"), None),
    ("-", None, None),
    # a hyphen inside a word joins parts into a phrase, never negates
    ("DGSN-DGST", P(("DGSN", "DGST")), None),
    ("anti-terrorisme", P(("anti", "terrorisme")), None),
    # apostrophes stay inside words
    ("l'ONU", T("l'ONU"), None),
    ("d’attentats aujourd'hui", And((T("d’attentats"), T("aujourd'hui"))), None),
    ("'quoted'", T("quoted"), None),
    # prefixes
    ("pol*", X("pol"), None),
    ("pol*,", X("pol"), None),
    ("*", None, 'lone "*"'),
    ("p*", None, "too short"),
    ("anti-ter*", X("anti ter"), None),
    # parentheses are repaired
    ("((a", T("a"), 'missing ")"'),
    ("a)", T("a"), 'unmatched ")"'),
    ("()", None, None),
    ("(" * 200 + "a", T("a"), "nested too deep"),
    # fields
    ("title:maroc", T("maroc", field="title"), None),
    ('title:"joint cell"', P(("joint", "cell"), field="title"), None),
    ("title:pol*", X("pol", field="title"), None),
    ("TITLE:maroc", T("maroc", field="title"), None),
    ("title:(a -b)", And((T("a", field="title"), Not(T("b", field="title")))), None),
    ("-title:isis", Not(T("isis", field="title")), None),
    ("title:", T("title"), None),
    # filters leave the tree
    ("country:ma agency:bcij terrorism", T("terrorism"), None),
    ('source:"Morocco World News"', None, None),
    ("-country:ma isis", T("isis"), "cannot exclude a filter"),
    ("from:someday", None, "not a date"),
    # unknown prefixes and FTS5 syntax are plain text
    ("https://", T("https"), None),
    ("12:30", P(("12", "30")), None),
    ("note:", T("note"), None),
    ("note:x", P(("note", "x")), None),
    ("^x", T("x"), None),
    ("+x {y}", And((T("x"), T("y"))), None),
    (":", None, None),
    ("... !!! ,", None, None),
    ("a*b", P(("a", "b")), None),
    # long input: capped, fast
    (LONG_5000, None, f"only the first {MAX_TERMS} searched"),
    ("x " * 1000, None, "too many terms"),
]


@pytest.mark.parametrize("text, tree, warning", CASES, ids=[repr(c[0][:40]) for c in CASES])
def test_parse_reads_query_as_table_says(text, tree, warning):
    parsed = parse(text)
    if len(text) < 1000:
        assert parsed.tree == tree
    if warning is None:
        assert parsed.warnings == []
    else:
        assert any(warning in w for w in parsed.warnings), parsed.warnings


@pytest.mark.parametrize("text, filters", [
    ("country:ma agency:bcij terrorism", {"country": ["ma"], "agency": ["bcij"]}),
    ("Country:MA country:ma country:dz", {"country": ["ma", "dz"]}),
    ('source:"Morocco World News"', {"source": ["Morocco World News"]}),
    ("source:Hespress", {"source": ["Hespress"]}),
    ("lang:FR tag:Terrorisme", {"lang": ["fr"], "tag": ["terrorisme"]}),
    ("from:2020-01-01 to:2020-12-31", {"from": ["2020-01-01"], "to": ["2020-12-31"]}),
    ("from:2020 to:2020", {"from": ["2020-01-01"], "to": ["2020-12-31"]}),
    ("from:2020-02 to:2020-02", {"from": ["2020-02-01"], "to": ["2020-02-29"]}),
    ("to:2021-02-30", {}),
    ("(country:ma)", {"country": ["ma"]}),
    ("country:ma,", {"country": ["ma"]}),
])
def test_parse_moves_in_query_filters_out_of_the_tree(text, filters):
    assert parse(text).filters == filters


def test_parse_caps_long_input_at_64_terms_quickly():
    text = " ".join(f"word{i}" for i in range(1000))
    start = time.perf_counter()
    parsed = parse(text)
    assert time.perf_counter() - start < 0.5
    assert isinstance(parsed.tree, And) and len(parsed.tree.children) == MAX_TERMS
    assert parsed.tree.children[0] == T("word0")


def test_parse_cuts_pasted_text_at_a_space_past_10000_characters():
    parsed = parse("-" * 9_990 + " abcdefghij" + " x" * 5_000)
    assert parsed.tree is None  # "abcdefghij" straddles the limit: dropped whole, not cut
    assert any("query too long" in w for w in parsed.warnings)


def test_parse_caps_terms_inside_one_long_phrase():
    parsed = parse('"' + "a " * 500 + '"')
    assert parsed.tree == P(("a",) * MAX_TERMS)


def test_parse_keeps_the_first_5000_characters_usable():
    parsed = parse(LONG_5000)
    assert parsed.tree.children[:2] == (T("sécurité"), T("maroc"))


def test_describe_reads_back_words_phrases_exclusions_and_filters():
    parsed = parse('morocco intelligence "joint security cell" -isis country:ma')
    labels = {("country", "ma"): "Morocco"}
    assert describe(parsed, lambda name, value: labels.get((name, value), value)) == (
        'all of: morocco, intelligence; phrase: "joint security cell"; '
        "excluding: isis; country: Morocco"
    )


@pytest.mark.parametrize("text, sentence", [
    ("", "all articles"),
    ("morocco", "word: morocco"),
    ("-isis", "all articles; excluding: isis"),
    ("a b OR c", "word: a; any of: b, c"),
    ("pol* title:maroc", "word: maroc (in title); starting with: pol*"),
    ('"a b" "c d"', 'phrases: "a b", "c d"'),
    ("country:ma", "country: ma"),
    ("lang:fr from:2020", "language: fr; from: 2020-01-01"),
    ("x -(a OR b)", "word: x; excluding: (a or b)"),
])
def test_describe_without_labels_shows_values(text, sentence):
    assert describe(parse(text)) == sentence


@pytest.mark.parametrize("text, terms", [
    ('morocco "joint cell" pol* -isis', ["morocco", "joint", "cell", "pol"]),
    ("a OR (b -c) a", ["a", "b"]),
    ("-isis", []),
    ("", []),
])
def test_terms_of_lists_positive_words_for_highlighting(text, terms):
    assert terms_of(parse(text).tree) == terms


_PIECES = [
    "OR", "AND", "NOT", "NEAR", "near(", "-", "--", "*", "(", ")", '"', "“", "”", "«", "»", "‘",
    "’", "„", "'", "^", ":", "+", "{", "}", "title:", "country:", "source:", "from:", "to:",
    "-(", "a", "b", "sécurité", "l'ONU", "DGSN-DGST", "pol*", "x*", " ", "  ", "\t", "\n",
]


def _random_query(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "".join(chr(rng.randint(0, 0x2FFFF)) for _ in range(rng.randint(0, 40)))
    return "".join(rng.choice(_PIECES) + rng.choice(["", " "]) for _ in range(rng.randint(0, 30)))


def _check_tree(node) -> None:
    if isinstance(node, Term):
        assert node.text and '"' not in node.text
    elif isinstance(node, Prefix):
        assert len(node.text) >= 2 and "*" not in node.text
    elif isinstance(node, Phrase):
        assert node.words and all(node.words)
    elif isinstance(node, Not):
        _check_tree(node.child)
    else:
        assert isinstance(node, (And, Or)) and len(node.children) >= 2, node
        for child in node.children:
            _check_tree(child)


def test_parse_never_raises_on_random_text_and_builds_only_tree_nodes():
    rng = random.Random(20240601)
    for _ in range(2000):
        text = _random_query(rng)
        parsed = parse(text)
        assert isinstance(parsed, ParsedQuery)
        assert not any(w.startswith("could not read") for w in parsed.warnings), (text, parsed)
        if parsed.tree is not None:
            _check_tree(parsed.tree)
        describe(parsed)
        terms_of(parsed.tree)
