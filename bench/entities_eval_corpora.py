"""The labelled articles of bench/entities_eval/: label files and the texts they refer to.

Shared by bench/entities_eval.py (scoring) and bench/entities_eval/draw_heldout.py (drawing).
The label files reference articles by corpus and id; the texts are read from the shared corpora
at run time (they are licensed for research use and are not copied into the repository).
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import html
import json
import re
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "bench" / "entities_eval" / "labels.jsonl"
HELDOUT = ROOT / "bench" / "entities_eval" / "heldout.jsonl"
HELDOUT2 = ROOT / "bench" / "entities_eval" / "heldout2.jsonl"
HELDOUT3 = ROOT / "bench" / "entities_eval" / "heldout3.jsonl"
HELDOUT4 = ROOT / "bench" / "entities_eval" / "heldout4.jsonl"
HELDOUT5 = ROOT / "bench" / "entities_eval" / "heldout5.jsonl"
HELDOUT6 = ROOT / "bench" / "entities_eval" / "heldout6.jsonl"
LABELS2 = ROOT / "bench" / "entities_eval" / "labels2.jsonl"  # a second tuning set (session 11)
LABELS3 = ROOT / "bench" / "entities_eval" / "labels3.jsonl"  # a third, French only (session 11)
HELDOUT7 = ROOT / "bench" / "entities_eval" / "heldout7.jsonl"  # seventh draw, session 12, sealed
# (corpus, id) of every article whose tagger output was read in session 12 (random samples of the
# corpora, to find classes of errors): a later draw leaves them out (ids only, no text).
REVIEWED_S12 = ROOT / "bench" / "entities_eval" / "reviewed_s12.tsv"
# eighth draw, session 13, sealed: Morocco World News (titles and standfirsts), a corpus no earlier set
# and no review had read
HELDOUT8 = ROOT / "bench" / "entities_eval" / "heldout8.jsonl"
# ninth draw, session 14, sealed: OrangeSum's last institutional stories and Reuters stories naming
# one or two institution words, drawn before session 14's work
HELDOUT9 = ROOT / "bench" / "entities_eval" / "heldout9.jsonl"
# tenth draw, session 14, sealed: drawn after the session's first tagger work, before heldout9's
# errors were read and fixed
HELDOUT10 = ROOT / "bench" / "entities_eval" / "heldout10.jsonl"
CORPORA = ROOT.parent / "shared" / "corpora"
SOURCES = {
    "orangesum": CORPORA / "orangesum-fr" / "orangesum_fr_3012.jsonl.gz",
    # The whole file, of which the one above is an exact subset: the held-out set draws from it.
    "orangesum-full": CORPORA / "orangesum-fr" / "orangesum_fr_full_36152.jsonl.gz",
    "bbc": CORPORA / "bbc-news" / "bbc-fulltext.tar.gz",
    "reuters": CORPORA / "reuters21578" / "reuters21578.tar.gz",
    # Title and one-sentence standfirst of each record; the id is the CSV line (as the importer's
    # origin "moroccoworldnews.csv.gz:N")
    "mwn": CORPORA / "morocco-world-news" / "moroccoworldnews.csv.gz",
}


@dataclass
class Article:
    corpus: str
    id: str
    lang: str
    title: str
    body: str
    gold: dict[str, set[str]]  # kind -> ids; only the kinds the label file labels
    notes: str = ""
    places: list[dict] = field(default_factory=list)  # [{"name": ..., "country": ...}]
    home: str | None = None  # the outlet's country, from the article's URL (app.entities.outlets)
    predicted: dict[str, set[str]] = field(default_factory=dict)
    sentences: dict[str, str] = field(default_factory=dict)  # entity id -> sentence of 1st mention

    @property
    def key(self) -> str:
        return f"{self.corpus}:{self.id}"


def text_sha1(title: str, body: str) -> str:
    """The hash heldout.jsonl stores of the text the tagger is given."""
    return hashlib.sha1(f"{title}\n{body}".encode("utf-8")).hexdigest()


# --- reading the corpora -------------------------------------------------------------------

def decode(data: bytes) -> str:
    # A few files in BBC and Reuters hold a stray Latin-1 byte (see their SOURCE.md).
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_orangesum(path: Path, ids: set[str]) -> dict[str, tuple[str, str]]:
    """id -> (title, article). The "heading" lead is not part of the labelled text."""
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["id"] in ids:
                out[rec["id"]] = (rec["title"], rec["article"])
    return out


def bbc_members(tar: tarfile.TarFile, wanted=lambda name: True):
    """("politics/012", (first line, the rest)) for each article file whose name is wanted,
    in name order."""
    for member in sorted(tar.getmembers(), key=lambda m: m.name):
        name = member.name.removeprefix("bbc/").removesuffix(".txt")
        if member.isfile() and member.name.count("/") == 2 and wanted(name):
            title, _, body = decode(tar.extractfile(member).read()).partition("\n")
            yield name, (title.strip(), body.strip())


def read_bbc(ids: set[str]) -> dict[str, tuple[str, str]]:
    with tarfile.open(SOURCES["bbc"]) as tar:
        return dict(bbc_members(tar, ids.__contains__))


REUTERS_STORY = re.compile(r'<REUTERS[^>]*NEWID="(\d+)">(.*?)</REUTERS>', re.S)


def sgml_field(block: str, tag: str) -> str:
    m = re.search(rf"<{tag}>(.*?)</{tag}>", block, re.S)
    return html.unescape(m.group(1)) if m else ""


def reuters_text(block: str) -> tuple[str, str]:
    """(TITLE, BODY). The DATELINE (a city) is left out; the closing "Reuter" too."""
    body = re.sub(r"\s*reuter\s*\x03?\s*$", "", sgml_field(block, "BODY"), flags=re.I)
    return sgml_field(block, "TITLE").strip(), body.strip()


def reuters_stories(tar: tarfile.TarFile):
    """(NEWID, SGML block) for every story of the tar, in file order."""
    for member in sorted(tar.getmembers(), key=lambda m: m.name):
        if member.name.endswith(".sgm"):
            yield from REUTERS_STORY.findall(decode(tar.extractfile(member).read()))


def read_reuters(ids: set[str]) -> dict[str, tuple[str, str]]:
    with tarfile.open(SOURCES["reuters"]) as tar:
        return {newid: reuters_text(block) for newid, block in reuters_stories(tar)
                if newid in ids}


def mwn_records():
    """(CSV line, title, standfirst) for each Morocco World News record, in file order (no field
    of the file holds a line break, so record n is on line n + 1)."""
    with gzip.open(SOURCES["mwn"], "rt", encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), 2):
            yield str(line), row["title"].strip(), row["headline"].strip()


def read_mwn(ids: set[str]) -> dict[str, tuple[str, str]]:
    return {line: (title, lead) for line, title, lead in mwn_records() if line in ids}


def _orangesum_urls(path: Path, ids: set[str]) -> dict[str, str]:
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["id"] in ids and rec.get("url"):
                out[rec["id"]] = rec["url"]
    return out


def _mwn_urls(ids: set[str]) -> dict[str, str]:
    with gzip.open(SOURCES["mwn"], "rt", encoding="utf-8", newline="") as f:
        return {str(line): row["url"] for line, row in enumerate(csv.DictReader(f), 2) if str(line) in ids}


# The articles' URLs, where the corpus has them: the archive reads the outlet's country from an
# article's URL (app.entities.outlets), so the evaluation gives the tagger the same. Reuters and the
# BBC files have none.
URL_READERS = {
    "orangesum": lambda ids: _orangesum_urls(SOURCES["orangesum"], ids),
    "orangesum-full": lambda ids: _orangesum_urls(SOURCES["orangesum-full"], ids),
    "mwn": _mwn_urls,
}


READERS = {
    "orangesum": lambda ids: _read_orangesum(SOURCES["orangesum"], ids),
    "orangesum-full": lambda ids: _read_orangesum(SOURCES["orangesum-full"], ids),
    "bbc": read_bbc,
    "reuters": read_reuters,
    "mwn": read_mwn,
}


def read_texts(wanted: dict[str, set[str]], label_file: str = "labels.jsonl"
               ) -> dict[tuple[str, str], tuple[str, str]]:
    unknown = sorted(c for c in wanted if c not in SOURCES)
    if unknown:
        sys.exit(f"entities_eval: {label_file}: unknown corpus {', '.join(unknown)}")
    missing = [str(SOURCES[c]) for c in wanted if not SOURCES[c].exists()]
    if missing:
        sys.exit("entities_eval: corpus not found (the texts are read from /work/shared at run "
                 "time, never copied into the repo): " + ", ".join(missing))
    texts = {}
    for corpus, ids in wanted.items():
        found = READERS[corpus](ids)
        for id_ in sorted(ids - found.keys()):
            sys.exit(f"entities_eval: {corpus}:{id_}: listed in {label_file}, not in the corpus")
        texts.update({(corpus, id_): t for id_, t in found.items()})
    return texts


# --- label files ---------------------------------------------------------------------------

def read_rows(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            sys.exit(f"entities_eval: {path.name}:{n}: not JSON ({e})")
    return rows


def wanted_ids(rows: list[dict]) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {}
    for r in rows:
        wanted.setdefault(r["corpus"], set()).add(str(r["id"]))
    return wanted


def _gold(row: dict) -> dict[str, set[str]]:
    """The kinds this line labels: countries and agencies always, groups and places if present.
    "located" is the set of countries of the places named (what place-derived tags should give)."""
    gold = {"country": set(row["countries"]), "agency": set(row["agencies"])}
    if "groups" in row:
        gold["group"] = set(row["groups"])
    if "places" in row:
        gold["located"] = {p["country"] for p in row["places"]}
    return gold


def load_articles(path: Path = LABELS, lang: str | None = None) -> list[Article]:
    rows = [r for r in read_rows(path) if lang in (None, r["lang"])]
    texts = read_texts(wanted_ids(rows), path.name)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from app.entities.outlets import home_of

    urls = {(corpus, id_): url for corpus, ids in wanted_ids(rows).items() if corpus in URL_READERS
            for id_, url in URL_READERS[corpus](ids).items()}
    articles = []
    for r in rows:
        title, body = texts[(r["corpus"], str(r["id"]))]
        if "sha1" in r and text_sha1(title, body) != r["sha1"]:
            sys.exit(f"entities_eval: {path.name}: {r['corpus']}:{r['id']}: the corpus text "
                     "changed since it was labelled (sha1 differs)")
        url = urls.get((r["corpus"], str(r["id"])))
        articles.append(Article(r["corpus"], str(r["id"]), r["lang"], title, body, _gold(r),
                                notes=r.get("notes", ""), places=r.get("places", []),
                                home=home_of(url) if url else None))
    return articles
