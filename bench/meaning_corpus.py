"""The articles behind bench/relevance/meaning_queries.jsonl, read straight from the shared corpora
(not from an archive), and the content-word test that paraphrase queries must pass.

A target is (corpus, record): ``bbc`` + ``bbc/<category>/<NNN>.txt`` (a member of
bbc-fulltext.tar.gz), ``orangesum`` + the record's ``id`` in orangesum_fr_3012.jsonl.gz, ``seeds``
+ a file name in ../shared/seeds. The bench finds each one in an archive built by the importer by
its origin (BBC member path, seed file name) or, for OrangeSum, by its title among the articles
imported from that file; both are checked against the title stored in the query file.
"""
from __future__ import annotations

import gzip
import json
import re
import tarfile
import unicodedata
from functools import cache
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPORA = SHARED / "corpora"
BBC_TAR = CORPORA / "bbc-news" / "bbc-fulltext.tar.gz"
ORANGESUM = CORPORA / "orangesum-fr" / "orangesum_fr_3012.jsonl.gz"
SEEDS = SHARED / "seeds"
PATHS = [str(BBC_TAR), str(ORANGESUM), str(SEEDS)]

# Function words of English and French (and the commonest verbs of news prose) that do not count
# as content words when a paraphrase is checked against its article.
STOP = set("""
a about after again against all also an and any are as at be been before being between both but by can
could did do does doing down during each few for from further had has have having he her here hers him
his how i if in into is it its itself just me more most my no nor not now of off on once only or other
our out over own same she should so some such than that the their them then there these they this those
through to too under until up very was we were what when where which while who whom why will with would
you your said says say new one two three year years its mr mrs ms ex
au aux avec ce ces cet cette dans de des du elle elles en est et eux il ils je la le les leur leurs lui
ma mais me même mes moi mon ne nos notre nous on ont ou où par pas pour qu que qui sa sans se ses son
sur ta te tes toi ton tu un une vos votre vous été être avoir avait sont était fait faire plus aussi
comme tout tous toute toutes après avant entre contre sous selon chez lors dont ainsi si déjà encore
très bien peu an ans deux trois pendant devant près veut chaque ever want wants a y c d l n s j m t qu' l' d' est-ce
""".split())
WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(word: str) -> str:
    """Lower case without accents, and a light plural/verb-ending strip, so that "attentats" and
    "attentat", "sues" and "sue" count as the same word."""
    w = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
    for end in ("ing", "es", "ed", "s", "x", "e"):
        if len(w) > 4 and w.endswith(end):
            return w[: -len(end)]
    return w


def content_words(text: str) -> set[str]:
    words = (w for w in WORD.findall(text) if w.lower() not in STOP and len(w) > 1)
    return {fold(w) for w in words} - {fold(w) for w in STOP}


@cache
def _bbc() -> dict[str, str]:
    out = {}
    with tarfile.open(BBC_TAR) as tar:
        for m in tar.getmembers():
            if m.isfile() and m.name.endswith(".txt") and "README" not in m.name:
                out[m.name] = tar.extractfile(m).read().decode("utf-8", "replace")
    return out


@cache
def _orangesum() -> dict[str, dict]:
    with gzip.open(ORANGESUM, "rt", encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f)}


def article(corpus: str, record: str) -> tuple[str, str]:
    """(title, whole text) of one target article, as the corpus has it."""
    if corpus == "bbc":
        text = _bbc()[record]
        return text.split("\n", 1)[0].strip(), text
    if corpus == "orangesum":
        r = _orangesum()[record]
        return r["title"].strip(), "\n".join((r["title"], r["heading"], r["article"]))
    if corpus == "seeds":
        text = (SEEDS / record).read_text(encoding="utf-8")
        return next(line.strip() for line in text.splitlines() if line.strip()), text
    raise ValueError(f"unknown corpus {corpus!r}")


def shared_words(query: str, corpus: str, record: str) -> set[str]:
    return content_words(query) & content_words(article(corpus, record)[1])


QUERIES = Path(__file__).resolve().parent / "relevance" / "meaning_queries.jsonl"


def load_queries(path: Path = QUERIES) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check(queries: list[dict]) -> list[str]:
    """What is wrong with the query set (empty when it holds to MAKING.md's rules)."""
    problems = []
    kinds = [q["kind"] for q in queries]
    if len(queries) < 80 or kinds.count("paraphrase") < 50 or kinds.count("cross") < 30:
        problems.append(f"{len(queries)} queries, {kinds.count('paraphrase')} paraphrase, "
                        f"{kinds.count('cross')} cross-language: need >= 80, 50, 30")
    for q in queries:
        title, _ = article(q["corpus"], q["record"])
        if title != q["title"]:
            problems.append(f"{q['id']}: title {title!r} != {q['title']!r}")
        shared = shared_words(q["query"], q["corpus"], q["record"])
        if q["kind"] == "paraphrase" and len(shared) > 1:
            problems.append(f"{q['id']}: shares {sorted(shared)} with its article")
        if q["kind"] == "cross" and q["query_lang"] == q["article_lang"]:
            problems.append(f"{q['id']}: cross-language query in the article's language")
    return problems


if __name__ == "__main__":
    found = check(load_queries())
    print("\n".join(found) or f"{QUERIES.name}: all rules hold")
    raise SystemExit(1 if found else 0)
