"""Draw the held-out tagging set (issue 14): real articles not in labels.jsonl, at random.

    .venv/bin/python bench/entities_eval/draw_heldout.py            # the references, JSON lines
    .venv/bin/python bench/entities_eval/draw_heldout.py --show     # + the texts, for the labeller
    .venv/bin/python bench/entities_eval/draw_heldout.py --check    # heldout.jsonl is this draw
    .venv/bin/python bench/entities_eval/draw_heldout.py --set heldout2 --show   # the second draw
    .venv/bin/python bench/entities_eval/draw_heldout.py --set heldout3 --show   # the third draw
    .venv/bin/python bench/entities_eval/draw_heldout.py --set heldout4 --show   # the fourth draw
    .venv/bin/python bench/entities_eval/draw_heldout.py --set heldout5 --show   # the fifth draw
    .venv/bin/python bench/entities_eval/draw_heldout.py --set heldout5 --check  # heldout5.jsonl
    .venv/bin/python bench/entities_eval/draw_heldout.py --set heldout6 --show   # the sixth draw
    .venv/bin/python bench/entities_eval/draw_heldout.py --set labels2 --show    # a second tuning set
    .venv/bin/python bench/entities_eval/draw_heldout.py --set labels3 --show    # a third, French
    .venv/bin/python bench/entities_eval/draw_heldout.py --set heldout7 --show   # the seventh draw
    .venv/bin/python bench/entities_eval/draw_heldout.py --set heldout9 --show   # the ninth draw
    .venv/bin/python bench/entities_eval/draw_heldout.py --set heldout10 --show  # the tenth draw

The draw is fixed by SEED and by the strata below; it reads the corpora from /work/shared and
never writes their text anywhere (``--show`` prints to the terminal only). Each reference is the
corpus, the record id and the SHA-1 of the text the evaluation script hands to the tagger, so
that the script can tell when a corpus file has changed under the labels.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import entities_eval_corpora as ev  # noqa: E402  (the readers: the text the tagger is given)
from entities_eval_corpora import text_sha1  # noqa: E402

SEED = 20261201
SEED2 = 20261202  # heldout2.jsonl: a fresh draw, also excluding heldout.jsonl
SEED3 = 20261203  # heldout3.jsonl: a fresh draw, excluding all three earlier sets
SEED4 = 20261204  # heldout4.jsonl: a fresh draw, excluding all four earlier sets
SEED5 = 20261205  # heldout5.jsonl: a fresh draw, excluding all five earlier sets
SEED6 = 20261206  # heldout6.jsonl: a fresh draw, excluding all six earlier sets
SEED7 = 20261207  # labels2.jsonl: a second tuning set (not held out), excluding all seven
SEED8 = 20261208  # labels3.jsonl: a third tuning set, French only, excluding all eight
SEED9 = 20261209  # heldout7.jsonl: a seventh held-out draw, excluding all nine and the articles
                  # whose tagger output session 12 read (reviewed_s12.tsv)
SEED10 = 20261210  # heldout8.jsonl: Morocco World News, drawn before session 13 read any of its records
SEED11 = 20261211  # heldout9.jsonl: OrangeSum and Reuters, drawn before session 14's work
SEED12 = 20261212  # heldout10.jsonl: the same pools, drawn before heldout9's errors were read
MAX_CHARS = 2500  # title + body: short enough to be read in full, as for labels.jsonl
MIN_CHARS = 300  # Reuters has many one-line tables ("Shr 12 cts vs 10 cts")
# (stratum, how many). OrangeSum strata are its URL sections; "keywords" is its terrorism
# keyword flag (matched_keywords) over those sections. Reuters "orgs-places" are stories with an
# ORGS tag or two or more PLACES (as for labels.jsonl); "any" is every story with a body.
STRATA = [
    ("orangesum-full", "keywords", 16),
    ("orangesum-full", "monde", 10),
    ("orangesum-full", "france", 8),
    ("orangesum-full", "politique", 6),
    ("orangesum-full", "societe/fait-divers", 6),
    ("bbc", "politics", 20),
    ("bbc", "business", 15),
    ("reuters", "orgs-places", 15),
    ("reuters", "any", 10),
]
# heldout2: the same strata, a little more French (the smaller language of both earlier sets).
STRATA2 = [
    ("orangesum-full", "keywords", 16),
    ("orangesum-full", "monde", 12),
    ("orangesum-full", "france", 7),
    ("orangesum-full", "politique", 4),
    ("orangesum-full", "societe/fait-divers", 7),
    ("bbc", "politics", 18),
    ("bbc", "business", 14),
    ("reuters", "orgs-places", 14),
    ("reuters", "any", 10),
]
# heldout3: the same strata, smaller (64 articles, 28 French), drawn after heldout2's errors had
# been read, so that the gazetteer work that follows has a set nobody has looked at.
STRATA3 = [
    ("orangesum-full", "keywords", 10),
    ("orangesum-full", "monde", 7),
    ("orangesum-full", "france", 5),
    ("orangesum-full", "politique", 2),
    ("orangesum-full", "societe/fait-divers", 4),
    ("bbc", "politics", 12),
    ("bbc", "business", 8),
    ("reuters", "orgs-places", 10),
    ("reuters", "any", 6),
]
# heldout4: weighted towards articles that name public bodies, so that each language has 40 or
# more agency labels (heldout3 had 23 English and 9 French ones: one label moved recall by 4-10
# points). Only articles with INSTITUTION_CUES distinct institution words are candidates; the
# words are the kinds of body RULES.md labels, written generically (no body's name nor acronym),
# so that the draw does not lean towards the names the gazetteer already knows.
STRATA4 = [
    ("orangesum-full", "keywords", 22),
    ("orangesum-full", "monde", 14),
    ("orangesum-full", "france", 10),
    ("orangesum-full", "societe/fait-divers", 9),
    ("bbc", "politics", 15),  # every candidate left: 15
    ("bbc", "business", 8),
    ("reuters", "orgs-places", 22),
    ("reuters", "any", 4),
]
# heldout5: heldout4's weighting (the same candidate filter), more English. English strata come
# first so that cutting a French stratum down (a prefix of its shuffled order) leaves the English
# draw unchanged. No BBC politics article with INSTITUTION_CUES is left after heldout4 (0 of the
# 104 not yet drawn), and 13 BBC business ones: the English is mostly Reuters.
STRATA5 = [
    ("bbc", "business", 12),
    ("reuters", "orgs-places", 40),
    ("reuters", "any", 8),
    ("orangesum-full", "keywords", 10),
    ("orangesum-full", "monde", 8),
    ("orangesum-full", "france", 6),
    ("orangesum-full", "societe/fait-divers", 6),
]
# heldout6 (session 11): the issue's size (at least 100, at least 40 French) with heldout4's
# weighting; heldout5 had 30 French. English strata first, as for heldout5; BBC has 1 business
# and no politics article with INSTITUTION_CUES left, so the English is Reuters.
STRATA6 = [
    ("bbc", "business", 1),  # the one left
    ("reuters", "orgs-places", 42),
    ("reuters", "any", 12),
    ("orangesum-full", "keywords", 15),
    ("orangesum-full", "monde", 12),
    ("orangesum-full", "france", 10),
    ("orangesum-full", "societe/fait-divers", 8),
]
# labels2 (session 11): a second tuning set of heldout6's kind, to read errors on while heldout6
# stays sealed (heldout5's fixes changed nothing on heldout6: its errors are of other classes).
STRATA7 = [
    ("reuters", "orgs-places", 35),
    ("reuters", "any", 15),
    ("orangesum-full", "keywords", 15),
    ("orangesum-full", "monde", 15),
    ("orangesum-full", "france", 10),
    ("orangesum-full", "societe/fait-divers", 10),
]
# labels3 (session 11): French only, the language whose agency figures stay lowest on heldout6.
STRATA8 = [
    ("orangesum-full", "keywords", 20),
    ("orangesum-full", "monde", 15),
    ("orangesum-full", "france", 15),
    ("orangesum-full", "societe/fait-divers", 10),
]
# heldout7 (session 12): heldout6's kind and size, drawn after session 12's fixes (found by reading
# the tagger's output on random unlabelled articles, never a labelled set's errors), to measure
# whether they hold on text nobody looked at.
STRATA9 = [  # 31: all the Reuters "orgs-places" stories with INSTITUTION_CUES left after the exclusions
    ("reuters", "orgs-places", 31),
    ("reuters", "any", 24),
    ("orangesum-full", "keywords", 15),
    ("orangesum-full", "monde", 12),
    ("orangesum-full", "france", 10),
    ("orangesum-full", "societe/fait-divers", 8),
]
# heldout8 (session 13): the institutional strata of the three corpora above are nearly used up
# (2 Reuters "orgs-places", 91 Reuters "any", no BBC politics/business story is left unread), so
# the eighth set comes from the corpus no set or review had read: Morocco World News, English,
# 2020, each record a title and a one-sentence standfirst (~180 characters). "institutional" are
# the records naming at least one institution word (485 of 2,500), "other" the rest.
STRATA10 = [
    ("mwn", "institutional", 120),
    ("mwn", "other", 80),
]
# heldout9 (session 14): both languages again. French: OrangeSum's institutional stories no set,
# no review and no diff has read (session 13's before/after diff left the draw pools out). English:
# no clean institutional pool is left, so Reuters stories naming one or two institution words
# (`_names_a_body`, not `_institutional`); session 13 read those only where its diff changed a tag
# and in its aggregate list of untagged names; no labelled error of theirs was ever read.
STRATA11 = [
    ("reuters", "orgs-places", 30),
    ("reuters", "any", 25),
    ("orangesum-full", "keywords", 15),
    ("orangesum-full", "monde", 8),
    ("orangesum-full", "france", 12),
    ("orangesum-full", "societe/fait-divers", 10),
]
# heldout10 (session 14): heldout9's figures were read twice (before and after the session's first
# work, unchanged: French missed two targets), then its errors were to be read and fixed; this
# draw, made before that, measures the fixes on text they were not made on. The same pools, all
# ten earlier files left out; session 14's before/after diffs and aggregate lists covered these
# articles too (changed tags read), no labelled error of theirs was read.
STRATA12 = [
    ("reuters", "orgs-places", 20),
    ("reuters", "any", 20),
    ("orangesum-full", "keywords", 13),
    ("orangesum-full", "france", 20),
    ("orangesum-full", "politique", 13),
    ("orangesum-full", "societe/fait-divers", 14),
]
INSTITUTION_WORDS = re.compile(
    r"\b(minist[eè]res?|ministry|ministries|department|d[ée]partement|agen[cz]e|agency|office"
    r"|organi[sz]ations?|union|commission|conseil|council|fonds|fund|banque|bank|direction"
    r"|directorate|service|bureau|brigade|police|gendarmerie|parquet|nations|alliance"
    r"|programme|program|authority|autorit[ée]|institut|agencies|forces)\b", re.I)
INSTITUTION_CUES = 3


def _institutional(title: str, body: str) -> bool:
    words = {w.lower() for w in INSTITUTION_WORDS.findall(f"{title}\n{body}")}
    return len(words) >= INSTITUTION_CUES


def _names_a_body(title: str, body: str) -> bool:
    return bool(INSTITUTION_WORDS.search(f"{title}\n{body}"))


# set -> (seed, strata, label file, earlier label files excluded, candidate filter; a filter may be
# a {corpus: filter} dict)
DRAWS = {"heldout": (SEED, STRATA, ev.HELDOUT, (), None),
         "heldout2": (SEED2, STRATA2, ev.HELDOUT2, (ev.HELDOUT,), None),
         "heldout3": (SEED3, STRATA3, ev.HELDOUT3, (ev.HELDOUT, ev.HELDOUT2), None),
         "heldout4": (SEED4, STRATA4, ev.HELDOUT4, (ev.HELDOUT, ev.HELDOUT2, ev.HELDOUT3),
                      _institutional),
         "heldout5": (SEED5, STRATA5, ev.HELDOUT5,
                      (ev.HELDOUT, ev.HELDOUT2, ev.HELDOUT3, ev.HELDOUT4), _institutional),
         "heldout6": (SEED6, STRATA6, ev.HELDOUT6,
                      (ev.HELDOUT, ev.HELDOUT2, ev.HELDOUT3, ev.HELDOUT4, ev.HELDOUT5), _institutional),
         "labels2": (SEED7, STRATA7, ev.LABELS2,
                     (ev.HELDOUT, ev.HELDOUT2, ev.HELDOUT3, ev.HELDOUT4, ev.HELDOUT5, ev.HELDOUT6),
                     _institutional),
         "labels3": (SEED8, STRATA8, ev.LABELS3,
                     (ev.HELDOUT, ev.HELDOUT2, ev.HELDOUT3, ev.HELDOUT4, ev.HELDOUT5, ev.HELDOUT6, ev.LABELS2),
                     _institutional),
         "heldout7": (SEED9, STRATA9, ev.HELDOUT7,
                      (ev.HELDOUT, ev.HELDOUT2, ev.HELDOUT3, ev.HELDOUT4, ev.HELDOUT5, ev.HELDOUT6, ev.LABELS2,
                       ev.LABELS3), _institutional),
         # a corpus of its own: no earlier set holds its records; the strata do the filtering
         "heldout8": (SEED10, STRATA10, ev.HELDOUT8, (), None),
         "heldout9": (SEED11, STRATA11, ev.HELDOUT9,
                      (ev.HELDOUT, ev.HELDOUT2, ev.HELDOUT3, ev.HELDOUT4, ev.HELDOUT5, ev.HELDOUT6, ev.LABELS2,
                       ev.LABELS3, ev.HELDOUT7), {"orangesum-full": _institutional, "reuters": _names_a_body}),
         "heldout10": (SEED12, STRATA12, ev.HELDOUT10,
                       (ev.HELDOUT, ev.HELDOUT2, ev.HELDOUT3, ev.HELDOUT4, ev.HELDOUT5, ev.HELDOUT6, ev.LABELS2,
                        ev.LABELS3, ev.HELDOUT7, ev.HELDOUT9),
                       {"orangesum-full": _institutional, "reuters": _names_a_body})}
# Draws that also leave out the articles listed (corpus TAB id) in these files.
EXCLUDED = {"heldout7": (ev.REVIEWED_S12,), "heldout9": (ev.REVIEWED_S12,), "heldout10": (ev.REVIEWED_S12,)}
FR_SECTIONS = {"monde", "france", "politique", "societe/fait-divers"}
LANG = {"orangesum-full": "fr", "bbc": "en", "reuters": "en", "mwn": "en"}


def _fits(title: str, body: str) -> bool:
    return MIN_CHARS <= len(title) + len(body) < MAX_CHARS and bool(body.strip())


def orangesum_pool() -> dict[str, list[tuple[str, str, str]]]:
    """stratum -> [(id, title, article)] in file order."""
    pool: dict[str, list] = {s: [] for s in FR_SECTIONS | {"keywords"}}
    with gzip.open(ev.SOURCES["orangesum-full"], "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["category"] in FR_SECTIONS and _fits(r["title"], r["article"]):
                item = (r["id"], r["title"], r["article"])
                pool["keywords" if r["matched_keywords"] else r["category"]].append(item)
    return pool


def bbc_pool() -> dict[str, list[tuple[str, str, str]]]:
    pool: dict[str, list] = {"politics": [], "business": []}
    with tarfile.open(ev.SOURCES["bbc"]) as tar:
        for name, (title, body) in ev.bbc_members(tar, lambda n: n.split("/")[0] in pool):
            if _fits(title, body):
                pool[name.split("/")[0]].append((name, title, body))
    return pool


def _tags(block: str, field: str) -> list[str]:
    m = re.search(rf"<{field}>(.*?)</{field}>", block, re.S)
    return re.findall(r"<D>(.*?)</D>", m.group(1)) if m else []


def reuters_pool() -> dict[str, list[tuple[str, str, str]]]:
    pool: dict[str, list] = {"orgs-places": [], "any": []}
    with tarfile.open(ev.SOURCES["reuters"]) as tar:
        for newid, block in ev.reuters_stories(tar):
            title, body = ev.reuters_text(block)
            if _fits(title, body):
                rich = _tags(block, "ORGS") or len(_tags(block, "PLACES")) >= 2
                pool["orgs-places" if rich else "any"].append((newid, title, body))
    return pool


def mwn_pool() -> dict[str, list[tuple[str, str, str]]]:
    """Every Morocco World News record (titles with standfirsts are all short: no length filter)."""
    pool: dict[str, list] = {"institutional": [], "other": []}
    for line, title, lead in ev.mwn_records():
        if title and lead:
            pool["institutional" if INSTITUTION_WORDS.search(f"{title}\n{lead}") else "other"].append(
                (line, title, lead))
    return pool


def tuning_set(also=()) -> tuple[set[tuple[str, str]], set[str]]:
    """(corpus, id) of labels.jsonl (and of the label files `also`), OrangeSum ids under both file
    names; and their text hashes."""
    rows = ev.read_rows(ev.LABELS) + [r for path in also for r in ev.read_rows(path)]
    keys = {(r["corpus"], str(r["id"])) for r in rows}
    keys |= {("orangesum-full", i) for c, i in list(keys) if c == "orangesum"}
    hashes = {text_sha1(*t) for t in ev.read_texts(ev.wanted_ids(rows)).values()}
    return keys, hashes


def draw(which: str = "heldout") -> list[dict]:
    """The held-out references, in stratum order. Same seed, same corpora -> same draw."""
    seed, strata, _, also, keep = DRAWS[which]
    rng = random.Random(seed)
    taken, seen_hashes = tuning_set(also)
    for path in EXCLUDED.get(which, ()):
        taken |= {tuple(line.rstrip("\n").split("\t")) for line in path.open(encoding="utf-8") if line.strip()}
    corpora = {c for c, _, _ in strata}
    pools = {name: make() for name, make in (("orangesum-full", orangesum_pool), ("bbc", bbc_pool),
                                              ("reuters", reuters_pool), ("mwn", mwn_pool))
             if name in corpora}
    out = []
    for corpus, stratum, n in strata:
        fits = keep.get(corpus) if isinstance(keep, dict) else keep
        candidates = [c for c in pools[corpus][stratum] if fits is None or fits(*c[1:])]
        picked = 0
        for id_, title, body in rng.sample(candidates, len(candidates)):
            h = text_sha1(title, body)
            if (corpus, id_) in taken or h in seen_hashes:  # in labels.jsonl, or a duplicate text
                continue
            taken.add((corpus, id_))
            seen_hashes.add(h)
            out.append({"corpus": corpus, "id": id_, "lang": LANG[corpus], "stratum": stratum,
                        "sha1": h, "_text": (title, body)})
            picked += 1
            if picked == n:
                break
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(DRAWS), default="heldout", dest="which",
                        help="which draw (default heldout)")
    parser.add_argument("--show", action="store_true", help="print each text after its reference")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless the set's file lists exactly this draw")
    args = parser.parse_args(argv)
    refs = draw(args.which)
    path = DRAWS[args.which][2]
    if args.check:
        rows = ev.read_rows(path)
        want = [(r["corpus"], r["id"], r["sha1"]) for r in refs]
        have = [(r["corpus"], str(r["id"]), r["sha1"]) for r in rows]
        print(f"{path.name} matches the draw" if want == have else f"{path.name} differs")
        return 0 if want == have else 1
    for r in refs:
        title, body = r.pop("_text")
        print(json.dumps(r, ensure_ascii=False))
        if args.show:
            print(f"=== {title}\n{body}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
