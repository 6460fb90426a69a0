"""The reference engine of issue 10: tantivy (Rust, in-process, no HTTP) on the same corpus
files and the same queries (bench/out/queries-N.json) as `search_bench.py`.

Each corpus file is read as the importer reads it (title, body, date); language and the
country/agency tags are taken from our archive (by the file's path), so the filtered queries
filter on the same tags. Text is lower-cased, ASCII-folded and stemmed with the article's
language's Snowball stemmer (French or English fields, as our index stems). For every query:
top 20 by BM25, the exact count, an HTML snippet of each of the 20 and two facets (language and
year, as aggregations over the whole match set); cold (first run) and warm (second) apart.
Needs the bench extra: `.venv/bin/pip install -e '.[bench]'`. The index is kept in
bench/out/tantivy-N/ and reused.

    .venv/bin/python bench/tantivy_bench.py --corpus bench/out/corpus-100000 --db bench/out/bench-100000.db
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import tantivy
from search_bench import percentile
from search_queries import corpus_files, corpus_stats, load_or_make

from app.ingest.seedtext import EmptyArticleError, parse_seed_text
from app.search.text import fold

ROOT = Path(__file__).resolve().parents[1]


LANGS = {"fr": "french", "en": "english"}  # any other language goes to the English fields
TEXT_FIELDS = [f"{f}_{lang}" for lang in LANGS for f in ("title", "body")]


def analyzer(language: str) -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold()).filter(tantivy.Filter.stemmer(language)).build())


def schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    for lang in LANGS:
        b.add_text_field(f"title_{lang}", stored=True, tokenizer_name=f"fold_{lang}")
        b.add_text_field(f"body_{lang}", stored=True, tokenizer_name=f"fold_{lang}")
    b.add_text_field("lang", stored=True, fast=True, tokenizer_name="raw")
    b.add_text_field("ent", tokenizer_name="raw")
    b.add_integer_field("day", indexed=True, fast=True)  # YYYYMMDD, 0 if undated
    b.add_integer_field("year", fast=True)
    return b.build()


def open_index(path: Path) -> tantivy.Index:
    index = tantivy.Index(schema(), path=str(path))
    for lang, language in LANGS.items():
        index.register_tokenizer(f"fold_{lang}", analyzer(language))
    return index


def tags_by_origin(db: str) -> dict[str, tuple[str, list[str]]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute("select a.origin, a.language, group_concat(e.entity_id) from article a "
                       "left join article_entity e on e.article_id = a.id group by a.id")
    return {origin: (lang or "", ents.split(",") if ents else []) for origin, lang, ents in rows}


def build(corpus: Path, n: int, db: str, path: Path) -> float:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    index = open_index(path)
    tags = tags_by_origin(db)
    started = time.perf_counter()
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    for file in corpus_files(corpus, n):
        try:
            rec = parse_seed_text(file.read_text(encoding="utf-8"), str(file))
        except EmptyArticleError:
            continue
        lang, ents = tags.get(str(file), tags.get(str(file.resolve()), ("", [])))
        day = int(rec.published_at.strftime("%Y%m%d")) if rec.published_at else 0
        side = lang if lang in LANGS else "en"
        writer.add_document(tantivy.Document(**{f"title_{side}": rec.title, f"body_{side}": rec.body},
                                             lang=lang, ent=ents, day=day, year=day // 10000))
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


def to_query(index: tantivy.Index, sch: tantivy.Schema, q: str) -> tantivy.Query:
    """Our URL syntax (words, "phrase", prefix*, &country=..&lang=..&from=..&to=..) in tantivy."""
    text, *filters = q.split("&")
    words = text.strip()
    if words.endswith("*") and " " not in words:  # prefix: any term starting so, in title or body
        stem = re.escape(fold(words[:-1]))
        must = tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.regex_query(sch, f, stem + ".*"))
                                            for f in TEXT_FIELDS])
    else:
        must = index.parse_query(words, TEXT_FIELDS, conjunction_by_default=True)
    parts = [(tantivy.Occur.Must, must)]
    bounds = {}
    for f in filters:
        key, _, value = f.partition("=")
        if key in ("country", "agency"):
            parts.append((tantivy.Occur.Must, tantivy.Query.term_query(sch, "ent", value)))
        elif key == "lang":
            parts.append((tantivy.Occur.Must, tantivy.Query.term_query(sch, "lang", value)))
        elif key in ("from", "to"):
            bounds[key] = int(value) * 10000 + (101 if key == "from" else 1231)
    if bounds:
        parts.append((tantivy.Occur.Must, tantivy.Query.range_query(
            sch, "day", tantivy.FieldType.Integer, bounds.get("from", 1), bounds.get("to", 99991231))))
    return tantivy.Query.boolean_query(parts)


FACETS = {"lang": {"terms": {"field": "lang", "size": 10}}, "year": {"terms": {"field": "year", "size": 30}}}


def page(index: tantivy.Index, searcher: tantivy.Searcher, sch: tantivy.Schema, q: str) -> tuple[int, float]:
    """What a results page needs: top 20, exact count, two facets, 20 snippets. Returns the
    count and the seconds spent before the snippets (the snippets re-analyse each text, which
    with stemming is most of the time at 100k)."""
    started = time.perf_counter()
    query = to_query(index, sch, q)
    result = searcher.search(query, 20, count=True)
    searcher.aggregate(query, FACETS)
    unsnipped = time.perf_counter() - started
    snippets = {lang: tantivy.SnippetGenerator.create(searcher, query, sch, f"body_{lang}") for lang in LANGS}
    for _score, address in result.hits:
        doc = searcher.doc(address)
        lang = (doc.get_first("lang") or "en")
        snippets[lang if lang in LANGS else "en"].snippet_from_doc(doc).to_html()
    return result.count, unsnipped


def run(index: tantivy.Index, classes: dict[str, list[str]]) -> dict:
    index.reload()
    searcher, sch = index.searcher(), schema()
    out = {c: {"cold_ms": [], "warm_ms": [], "nosnippet_ms": [], "totals": []} for c in classes}
    for kind in ("cold", "warm"):
        for c, qs in classes.items():
            for q in qs:
                t = time.perf_counter()
                total, unsnipped = page(index, searcher, sch, q)
                out[c][f"{kind}_ms"].append(round((time.perf_counter() - t) * 1000, 3))
                if kind == "cold":
                    out[c]["totals"].append(total)
                    out[c]["nosnippet_ms"].append(round(unsnipped * 1000, 3))
    for r in out.values():
        for kind in ("cold", "warm", "nosnippet"):
            r[f"{kind}_p50"] = round(statistics.median(r[f"{kind}_ms"]), 2)
            r[f"{kind}_p95"] = round(percentile(r[f"{kind}_ms"], 0.95), 2)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--db", required=True, help="our archive of the same corpus: languages and tags")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    n = corpus_stats(corpus)["articles"]
    out = ROOT / "bench" / "out"
    path = out / f"tantivy-{n}"
    built = None
    if args.rebuild or not (path / "meta.json").exists():
        built = build(corpus, n, args.db, path)
        print(f"tantivy index of {n:,} articles built in {built:.1f} s")
    queries = load_or_make(corpus, n, args.db, out / f"queries-{n}.json")
    index = open_index(path)
    results = run(index, queries["classes"])
    size = sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    report = {"n": n, "index_bytes": size, "build_s": built, "classes": results}
    (out / f"tantivy-{n}.json").write_text(json.dumps(report, indent=1) + "\n")
    print(f"{'class':14} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9} {'no-snippet p95':>15}"
          f"  index {size / 1e9:.2f} GB")
    for c, r in results.items():
        print(f"{c:14} {r['cold_p50']:9.2f} {r['cold_p95']:9.2f} {r['warm_p50']:9.2f} {r['warm_p95']:9.2f}"
              f" {r['nosnippet_p95']:15.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
