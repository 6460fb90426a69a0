"""One table of the issue-10 figures for one or more N, from what the bench scripts wrote in
bench/out (corpus-N.stats.json, import-N.json, search-N.json, tantivy-N.json), as Markdown.

    .venv/bin/python bench/scale_report.py 100000 300000
"""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
CLASSES = ("rare-word", "common-word", "phrase", "prefix", "several-words", "filtered")


def load(name: str) -> dict:
    path = OUT / name
    return json.loads(path.read_text()) if path.exists() else {}


def column(n: int) -> dict[str, str]:
    corpus, imp = load(f"corpus-{n}.stats.json"), load(f"import-{n}.json")
    ours, ref = load(f"search-{n}.json"), load(f"tantivy-{n}.json")
    col: dict[str, str] = {}
    if corpus:
        col["article text; near-duplicates by construction"] = (
            f"{corpus['text_bytes'] / 1e9:.2f} GB; {100 * corpus['near_duplicate_share']:.1f} %")
        col["dated; distinct words (estimate)"] = (f"{100 * corpus['dated_share']:.1f} %; "
                                                   f"{corpus['distinct_words_estimate']:,}")
    if imp:
        col["archive's story grouping: articles in another's story"] = (
            f"{imp['grouped']:,} of {imp['articles']:,} ({100 * imp['grouped'] / imp['articles']:.1f} %)")
        col["import rate; importer peak RSS"] = f"{imp['per_second']:,}/s; {imp['importer_peak_rss_mb']:,} MB"
    if ours:
        col["DB size on disk (tantivy index)"] = (f"{ours['db_bytes'] / 1e9:.2f} GB"
                                                  + (f" ({ref['index_bytes'] / 1e9:.2f} GB)" if ref else ""))
        if "index_terms" in ours:
            col["distinct terms in our full-text index"] = f"{ours['index_terms']:,}"
        w = ours.get("wrk") or {}
        if "req_per_s" in w:
            col["req/s at concurrency 8; p99"] = f"{w['req_per_s']:.1f}; {w['p99_ms']:,.0f} ms"
        s = ours["cold_start"]
        col["server listening; first search; first zero-hit search"] = (
            f"{s['listening_s']:.1f} s; {s['first_search_ms'] / 1000:.2f} s; {s['first_zero_hit_ms'] / 1000:.2f} s")
        col["server RSS peak (after the latency pass)"] = (
            f"{ours['server_rss_peak_mb']:,} MB ({ours['server_rss_after_latency_mb']:,} MB)")
        if ours.get("server_pss_peak_mb") is not None:
            col["server PSS peak (shared pages once); at the end"] = (
                f"{ours['server_pss_peak_mb']:,} MB; {ours['server_pss_end_mb']:,} MB")
        if "load_average" in ours:
            col["machine's load average before / after (2 cores)"] = " / ".join(map(str, ours["load_average"]))
    return col


def class_table(n: int) -> str:
    """Per class at one N: ours over HTTP (cold, warm) and tantivy in-process, with p95 ratios."""
    ours, ref = load(f"search-{n}.json"), load(f"tantivy-{n}.json")
    if not ours:
        return ""
    lines = [f"| N = {n:,}: class | ours cold p50 / p95 ms | ours warm p50 / p95 | tantivy cold p50 / p95 "
             "| tantivy p95 without snippets | ours / tantivy p95 (cold) | median hits ours / tantivy |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c in CLASSES:
        o, t = ours["classes"][c], (ref.get("classes", {}).get(c) if ref else None)
        cells = [f"{o['cold_p50']:.0f} / {o['cold_p95']:.0f}", f"{o['warm_p50']:.0f} / {o['warm_p95']:.0f}"]
        if t:
            cells += [f"{t['cold_p50']:.1f} / {t['cold_p95']:.1f}", f"{t.get('nosnippet_p95', float('nan')):.1f}",
                      f"×{o['cold_p95'] / max(t['cold_p95'], 0.01):.1f}",
                      f"{statistics.median(x or 0 for x in o['totals']):,.0f} / {statistics.median(t['totals']):,.0f}"]
        else:
            cells += ["—"] * 4
        lines.append(f"| {c} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table(ns: list[int]) -> str:
    cols = [column(n) for n in ns]
    rows = list(dict.fromkeys(k for col in cols for k in col))
    lines = ["| figure | " + " | ".join(f"N = {n:,}" for n in ns) + " |",
             "| --- | " + " | ".join("---:" for _ in ns) + " |"]
    lines += [f"| {r} | " + " | ".join(col.get(r, "—") for col in cols) + " |" for r in rows]
    return "\n".join(lines)


def main() -> int:
    ns = [int(a) for a in sys.argv[1:]] or [100_000]
    print(table(ns))
    for n in ns:
        print()
        print(class_table(n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
