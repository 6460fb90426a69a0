"""The real articles the benchmark corpus is made from (../shared/corpora), as a clean pool.

Readers for OrangeSum (French, full 36k), BBC and Reuters (English); ``load_pool`` splits each
body into paragraphs of sentences, drops exact and near-duplicate texts (the real corpora hold
some: BBC reprints, OrangeSum updates), so that whatever `make_corpus.py` composes from the pool
is a near-duplicate of something only when it is made to be. ``name_candidates`` lists the
capitalised words that are names (people, firms, places outside the gazetteer) and can be
swapped for synthetic ones without changing any country or agency tag.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import tarfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from app.ingest.stories import BANDS, fingerprint, similarity

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpora"
GAZETTEER = ROOT / "app" / "entities" / "data"


def orangesum():
    with gzip.open(SHARED / "orangesum-fr" / "orangesum_fr_full_36152.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d.get("article") and d.get("title"):
                body = re.sub(r"(?<=[a-zà-ü])\.(?=[A-ZÀ-Ü])", ".\n\n", d["article"])  # glued paragraphs
                yield "fr", d["title"], f"{d.get('heading', '')}\n\n{body}".strip(), d.get("date"), \
                    "os-" + (d.get("category") or "")


def bbc():
    with tarfile.open(SHARED / "bbc-news" / "bbc-fulltext.tar.gz") as tar:
        for m in tar:
            if m.isfile() and m.name.endswith(".txt") and "README" not in m.name:
                text = tar.extractfile(m).read().decode("utf-8", "replace")
                title, _, body = text.strip().partition("\n")
                yield "en", title.strip(), body.strip(), None, "bbc-" + m.name.split("/")[-2]


def _clean_sgml(s: str) -> str:
    return re.sub(r"&#\d+;", "", s).replace("&lt;", "<").replace("&amp;", "&").strip()


def reuters():
    with tarfile.open(SHARED / "reuters21578" / "reuters21578.tar.gz") as tar:
        for m in tar:
            if not m.name.endswith(".sgm"):
                continue
            sgml = tar.extractfile(m).read().decode("latin-1")
            for item in re.findall(r"<REUTERS.*?</REUTERS>", sgml, re.S):
                title = re.search(r"<TITLE>(.*?)</TITLE>", item, re.S)
                body = re.search(r"<BODY>(.*?)</BODY>", item, re.S)
                topic = re.search(r"<TOPICS><D>(.*?)</D>", item)
                if title and body and len(body.group(1)) > 300:
                    paras = re.sub(r"\n(?=    )", "\n\n", _clean_sgml(body.group(1)))
                    yield "en", _clean_sgml(title.group(1)).title(), paras.replace("Reuter", "").strip(), None, \
                        "reu-" + (topic.group(1) if topic else "")


@dataclass
class Doc:
    lang: str
    title: str
    paragraphs: list[list[str]]  # sentences
    words: int
    bucket: str  # source and section: donors of one article come from one bucket


_SENTENCE_END = re.compile(r"(?<=[.!?»\"])\s+(?=[A-ZÀ-Ý«\"(])")
_GLUED = re.compile(r"([a-zà-ÿ0-9][.!?][\"»]?)([\"«]?[A-ZÀ-Ý])")  # OrangeSum: 'anglais."L'AFM'
MAX_PIECE = 40  # words: a longer sentence is cut, so no one sentence can make two articles alike


def _pieces(sentence: str) -> list[str]:
    words = sentence.split()
    return [" ".join(words[k:k + MAX_PIECE]) for k in range(0, len(words), MAX_PIECE)]


def _split(body: str) -> list[list[str]]:
    paras = [_GLUED.sub(r"\1 \2", " ".join(p.split())) for p in re.split(r"\n\s*\n", body)]
    return [[piece for s in _SENTENCE_END.split(p) for piece in _pieces(s)] for p in paras if len(p) > 20]


def load_pool() -> list[Doc]:
    """Every real article once: exact copies and near-duplicates (the archive's own test:
    estimated Jaccard >= 0.5 of word 5-grams, via LSH bands) are dropped."""
    pool: list[Doc] = []
    seen_text: set[bytes] = set()
    band_owner: dict[int, int] = {}
    signatures: list[bytes] = []
    for lang, title, body, _date, bucket in (*orangesum(), *bbc(), *reuters()):
        key = hashlib.blake2b(" ".join(body.split()).encode(), digest_size=12).digest()
        if key in seen_text:
            continue
        seen_text.add(key)
        fp = fingerprint(title, body, passages=False)
        if any(b in band_owner and similarity(fp.minhash, signatures[band_owner[b]]) >= 0.5 for b in fp.bands):
            continue
        paragraphs = _split(body)
        if not paragraphs:
            continue
        for b in fp.bands[:BANDS]:
            band_owner.setdefault(b, len(pool))
        signatures.append(fp.minhash)
        pool.append(Doc(lang, " ".join(title.split()), paragraphs, len(body.split()), bucket))
    return pool


CAPITALISED = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]{2,}\b")
_LOWER = re.compile(r"\b[a-zà-ÿ]{3,}\b")


def protected_words() -> set[str]:
    """Every word of the gazetteer (country names, demonyms, agencies, cities): never swapped."""
    words: set[str] = set()

    def walk(node):
        if isinstance(node, str):
            words.update(w.casefold() for w in re.findall(r"\w+", node))
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(k)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    for path in GAZETTEER.glob("*.yaml"):
        walk(yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    return words


def name_candidates(pool: list[Doc]) -> set[str]:
    """Capitalised words seen at least twice and almost never in lower case (so not a sentence's
    first word), outside the gazetteer: names of people, firms, clubs, towns."""
    caps: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for doc in pool:
        for para in doc.paragraphs:
            for s in para:
                caps.update(CAPITALISED.findall(s))
                lower.update(_LOWER.findall(s))
    protected = protected_words()
    return {w for w, n in caps.items()
            if n >= 2 and lower[w.lower()] * 10 < n and w.casefold() not in protected}
