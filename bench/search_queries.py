"""A fixed set of distinct search queries drawn (seeded) from a benchmark corpus, per class.

Words, phrases and word sets come from a sample of the corpus's own articles (read as the
importer reads them), so every class has hits whatever N; filter values (countries, agencies)
come from the archive's tags. Saved to bench/out/queries-N.json: later runs, and tantivy, answer
the same queries.

    .venv/bin/python bench/search_queries.py --corpus bench/out/corpus-100000 --db bench/out/bench-100000.db
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from app.ingest.seedtext import parse_seed_text

PER_CLASS = 100
SAMPLE = 3000
CLASSES = ("rare-word", "common-word", "phrase", "prefix", "several-words", "filtered")
TOKEN = re.compile(r"[^\W_]+")  # words and numbers, as the engines split text
WORD = re.compile(r"[^\W\d_]{3,}")
ZERO_HIT = "qzxvbnmkwj"  # the first zero-hit search: no corpus has this word


def corpus_stats(corpus: Path) -> dict:
    """What make_corpus.py wrote beside the corpus folder."""
    return json.loads((corpus.parent / f"{corpus.name}.stats.json").read_text())


def corpus_files(corpus: Path, n: int) -> list[Path]:
    return [corpus / f"{i // 1000:03d}" / f"{i:06d}.txt" for i in range(n)]


@dataclass
class Sampled:
    tokens: list[str]  # every token of the body, lower-cased, numbers included
    lang: str
    entities: list[str]
    year: int | None


def sample_articles(corpus: Path, n: int, db: str, rng: random.Random) -> list[Sampled]:
    """SAMPLE articles picked at random, with the language, tags and year the archive gave them."""
    paths = rng.sample(corpus_files(corpus, n), min(SAMPLE, n))
    wanted = {str(p): p for p in paths} | {str(p.resolve()): p for p in paths}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = {}  # one scan of the article table (origin has no index)
    for art_id, origin, lang, published in con.execute("select id, origin, language, published_at from article"):
        if origin in wanted:
            rows[wanted[origin]] = (art_id, lang or "", int(published[:4]) if published else None)
    ents: dict[int, list[str]] = {}
    ids = [r[0] for r in rows.values()]
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        for art_id, ent in con.execute(f"select article_id, entity_id from article_entity where article_id in "
                                       f"({','.join('?' * len(chunk))})", chunk):
            ents.setdefault(art_id, []).append(ent)
    out = []
    for path in paths:
        if path not in rows:  # an exact duplicate of an earlier file: not imported
            continue
        art_id, lang, year = rows[path]
        rec = parse_seed_text(path.read_text(encoding="utf-8"), str(path))
        out.append(Sampled([t.lower() for t in TOKEN.findall(rec.body)], lang, sorted(ents.get(art_id, [])), year))
    return out


def is_country(entity_id: str) -> bool:
    return re.fullmatch(r"[a-z]{2}", entity_id) is not None


def draw(sampled: list[Sampled], rng: random.Random) -> dict:
    """PER_CLASS distinct queries per class. A filtered query is a word of one sampled article
    with one of that article's own facets (a country, an agency, its language, a span of years
    around its date), so it has hits."""
    docs = [[t for t in s.tokens if WORD.fullmatch(t)] for s in sampled]
    df = Counter(w for words in docs for w in set(words))
    by_df = sorted(df)
    rare = [w for w in by_df if df[w] == 1 and len(w) >= 5]
    common = [w for w in by_df if df[w] >= 0.05 * len(docs) and len(w) >= 4]
    mid = [w for w in by_df if 0.002 * len(docs) <= df[w] < 0.05 * len(docs) and len(w) >= 5]
    long_mid = [w for w in mid if len(w) >= 7]
    queries: dict[str, set[str]] = {c: set() for c in CLASSES}

    def fill(name: str, make) -> None:
        for _ in range(PER_CLASS * 50):
            if len(queries[name]) >= PER_CLASS:
                break
            q = make()
            if q:
                queries[name].add(q)

    fill("rare-word", lambda: rng.choice(rare))
    fill("common-word", lambda: rng.choice(common))
    fill("prefix", lambda: (w := rng.choice(long_mid))[:rng.randint(4, min(6, len(w) - 2))] + "*")

    def phrase() -> str | None:
        tokens = rng.choice(sampled).tokens
        if len(tokens) < 4:
            return None
        k = rng.randint(0, len(tokens) - 3)
        words = tokens[k:k + rng.choice((2, 2, 3))]
        return '"' + " ".join(words) + '"' if all(WORD.fullmatch(w) for w in words) else None
    fill("phrase", phrase)

    def several() -> str | None:
        words = [w for w in rng.choice(docs) if len(w) >= 4]
        return " ".join(rng.sample(words, rng.choice((2, 3)))) if len(set(words)) >= 3 else None
    fill("several-words", several)

    common_or_mid = set(common) | set(mid)

    def filtered() -> str | None:
        s = rng.choice(sampled)
        words = sorted({w for w in s.tokens if w in common_or_mid})
        countries = [e for e in s.entities if is_country(e)]
        agencies = [e for e in s.entities if not is_country(e)]
        if not words:
            return None
        word = rng.choice(words)
        kind = rng.choice(("country", "country", "agency", "lang", "date", "country-lang"))
        if kind == "country" and countries:
            return f"{word}&country={rng.choice(countries)}"
        if kind == "agency" and agencies:
            return f"{word}&agency={rng.choice(agencies)}"
        if kind == "lang" and s.lang:
            return f"{word}&lang={s.lang}"
        if kind == "date" and s.year:
            first = s.year - rng.randint(0, 2)
            return f"{word}&from={first}&to={first + rng.randint(2, 4)}"
        if kind == "country-lang" and countries and s.lang:
            return f"{word}&country={rng.choice(countries)}&lang={s.lang}"
        return None
    fill("filtered", filtered)
    return {c: sorted(qs) for c, qs in queries.items()}


def load_or_make(corpus: Path, n: int, db: str, out: Path, seed: int = 10) -> dict:
    """The saved queries of this corpus (same generator version and seed), else new ones."""
    version = corpus_stats(corpus)["version"]
    if out.exists():
        data = json.loads(out.read_text())
        if data.get("corpus_version") == version and data.get("seed") == seed:
            return data
    rng = random.Random(seed)
    data = {"n": n, "seed": seed, "corpus_version": version, "zero_hit": ZERO_HIT,
            "classes": draw(sample_articles(corpus, n, db, rng), rng)}
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return data


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--n", type=int, help="articles in the corpus (default: from its .stats.json)")
    args = ap.parse_args()
    n = args.n or corpus_stats(Path(args.corpus))["articles"]
    data = load_or_make(Path(args.corpus), n, args.db, Path(f"bench/out/queries-{n}.json"))
    for c, qs in data["classes"].items():
        print(f"{c:14} {len(qs):4}  e.g. {', '.join(qs[:4])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
