"""Latency of the search page over HTTP, per query class, against a running archive server.

Starts `newsarchive serve` on the given archive (127.0.0.1 only), warms it up, then requests
/search for each query of each class ROUNDS times and prints p50/p95 in milliseconds, with
the total hits. Every page computes the exact total, the facets and the snippets.

    .venv/bin/python bench/search_latency.py --db bench/out/bench.db
    .venv/bin/python bench/search_latency.py --db postgresql://postgres@127.0.0.1:55437/NAME
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]

CLASSES = {
    # df of a few dozen to a few hundred articles in the 100k bench archive
    "rare-word": ["Abaaoud", "Interpol", "Europol", "cannabis", "Marrakech", "djihadiste", "Guantanamo", "extradition"],
    # words in a large share of the archive (tens of thousands of matches)
    "common-word": ["said", "government", "France", "police", "président", "pays", "year", "ministre"],
    "phrase": ['"prime minister"', '"ministre de l\'intérieur"', '"état islamique"', '"interest rates"',
               '"forces de l\'ordre"', '"United States"'],
    "prefix": ["terror*", "minist*", "gouvern*", "econom*", "attent*", "polic*"],
    # several words: all must match; the articles with some of them follow (partial matches)
    "several-words": ["police attaque Paris", "government minister said", "terrorisme Maroc cellule",
                      "oil prices opec", "Hammouchi DGST coopération", "élection présidentielle sondage"],
    "filtered": ["police&country=fr", "attentat&country=fr&lang=fr", "said&country=us", "&country=ma",
                 "government&country=gb", "ministre&lang=fr&sort=newest"],
}


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="bench/out/bench.db")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--mode", default="", help="hybrid, keyword or meaning (issue 11; default: the page's default)")
    ap.add_argument("--settle", type=float, default=0.0, help="seconds to wait after the first answer (a PostgreSQL"
                    " server builds its postings in the background at start: ~75 s at 100k articles)")
    args = ap.parse_args()
    if "://" not in args.db and not Path(args.db).exists():  # a postgresql:// URL is served as it is
        print(f"{args.db} does not exist: build it with bench/build_archive.sh", file=sys.stderr)
        return 2
    exe = ROOT / ".venv" / "bin" / "newsarchive"
    server = subprocess.Popen([str(exe), "serve", "--db", args.db, "--port", str(args.port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    base = f"http://127.0.0.1:{args.port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            for _ in range(100):
                try:
                    http.get("/search?q=x")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            time.sleep(args.settle)
            print(f"{'class':12} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  queries (hits)")
            worst = 0.0
            for name, queries in CLASSES.items():
                times, totals = [], []
                for q in queries:
                    text, _, rest = q.partition("&")
                    url = f"/search?q={httpx.QueryParams({'q': text})['q']}" + (f"&{rest}" if rest else "")
                    url = "/search?" + str(httpx.QueryParams({"q": text})) + (f"&{rest}" if rest else "")
                    url += f"&mode={args.mode}" if args.mode else ""
                    r = http.get(url)  # warm-up, and the total
                    assert r.status_code == 200, (url, r.status_code)
                    totals.append(r.text.split("<strong>", 1)[1].split("<", 1)[0] if "<strong>" in r.text else "?")
                    for _ in range(args.rounds):
                        t = time.perf_counter()
                        r = http.get(url)
                        times.append((time.perf_counter() - t) * 1000)
                p95 = percentile(times, 0.95)
                worst = max(worst, p95)
                shown = ", ".join(f"{q.split('&')[0] or '(none)'} ({n})" for q, n in zip(queries, totals))
                print(f"{name:12} {statistics.median(times):8.1f} {p95:8.1f} {max(times):8.1f}  {shown}")
            print(f"worst p95: {worst:.1f} ms (target < 100 ms)")
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
