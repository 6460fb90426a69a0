"""The search page over HTTP on many distinct queries: cold and warm latency per class, cold
start, server memory, and throughput at concurrency 8 with wrk (issue 10).

Starts `newsarchive serve` on 127.0.0.1, then:
1. times the first search after the start (from the spawn, and the request itself) and the
   first zero-hit search (it needs the did-you-mean vocabulary);
2. requests every query of bench/out/queries-N.json once (cold: each is distinct, its first
   request) and then each once again (warm), p50/p95 per class for both;
3. runs wrk (2 threads, 8 connections, --duration s) cycling over every query URL
   (bench/wrk_rotate.lua): req/s and p99;
4. samples the server's RSS from /proc all along (peak and at the end), and the DB's size.
Writes bench/out/search-N.json (every figure, and each query's time and total).

    .venv/bin/python bench/search_bench.py --db bench/out/bench-100000.db --corpus bench/out/corpus-100000
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from search_queries import corpus_stats, load_or_make

ROOT = Path(__file__).resolve().parents[1]
TOTAL = re.compile(r'class="summary"><strong>([\d,]+)</strong>')  # the results heading (an h1 since issue 13)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


MODE = ""  # --mode: "&mode=keyword" etc. on every URL (without it the page's default, hybrid)


def url_of(query: str) -> str:
    """'said&country=us' -> '/search?q=said&country=us' (the words URL-quoted, filters as written)."""
    text, _, rest = query.partition("&")
    return f"/search?q={quote(text)}" + (f"&{rest}" if rest else "") + MODE


class RssSampler(threading.Thread):
    """Memory of a process and its children, every 0.1 s: VmRSS summed (counts the memory-mapped
    index files once per process) and, every second, Pss summed (each shared page divided among
    the processes that map it: what the server tree really holds)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.last, self.stop = pid, 0, 0, threading.Event()
        self.pss_peak = self.pss_last = 0

    def _pids(self) -> list[int]:
        return [self.pid] + [int(p) for p in Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()]

    def _sum(self, file: str, field: str) -> int:
        total = 0
        for pid in self._pids():
            try:
                text = Path(f"/proc/{pid}/{file}").read_text()
                total += int(re.search(field + r":\s+(\d+)", text).group(1)) * 1024
            except (OSError, AttributeError):
                pass
        return total

    def rss(self) -> int:
        return self._sum("status", "VmRSS")

    def run(self) -> None:
        ticks = 0
        while not self.stop.wait(0.1):
            try:
                self.last = self.rss()
                self.peak = max(self.peak, self.last)
                if ticks % 10 == 0:
                    self.pss_last = self._sum("smaps_rollup", "Pss")
                    self.pss_peak = max(self.pss_peak, self.pss_last)
                ticks += 1
            except OSError:
                return


def timed_get(http: httpx.Client, url: str) -> tuple[float, int | None]:
    t = time.perf_counter()
    r = http.get(url)
    ms = (time.perf_counter() - t) * 1000
    if r.status_code != 200:
        raise SystemExit(f"{url}: HTTP {r.status_code}")
    m = TOTAL.search(r.text)
    return ms, int(m.group(1).replace(",", "")) if m else None


def cold_start(http: httpx.Client, spawned: float, first: str, zero_hit: str) -> dict:
    while True:
        try:
            http.get("/static/style.css")
            break
        except httpx.TransportError:
            if time.perf_counter() - spawned > 120:
                raise SystemExit("the server did not start in 120 s")
            time.sleep(0.05)
    listening = time.perf_counter() - spawned
    first_ms, _ = timed_get(http, url_of(first))
    zero_ms, zero_total = timed_get(http, url_of(zero_hit))
    return {"listening_s": round(listening, 2), "first_search_ms": round(first_ms, 1),
            "first_search_since_spawn_s": round(listening + first_ms / 1000, 2),
            "first_zero_hit_ms": round(zero_ms, 1), "zero_hit_total": zero_total}


def latency(http: httpx.Client, classes: dict[str, list[str]]) -> dict:
    results = {c: {"queries": qs, "cold_ms": [], "warm_ms": [], "totals": []} for c, qs in classes.items()}
    for c, qs in classes.items():  # cold: the first request of each distinct query
        for q in qs:
            ms, total = timed_get(http, url_of(q))
            results[c]["cold_ms"].append(round(ms, 2))
            results[c]["totals"].append(total)
    for c, qs in classes.items():  # warm: the same again
        for q in qs:
            results[c]["warm_ms"].append(round(timed_get(http, url_of(q))[0], 2))
    for r in results.values():
        for kind in ("cold", "warm"):
            r[f"{kind}_p50"] = round(statistics.median(r[f"{kind}_ms"]), 1)
            r[f"{kind}_p95"] = round(percentile(r[f"{kind}_ms"], 0.95), 1)
    return results


def run_wrk(port: int, urls: list[str], seconds: int, out: Path) -> dict:
    if not shutil.which("wrk"):
        return {"error": "wrk is not installed (apt-get install -y wrk)"}
    paths = out / "wrk-paths.txt"
    paths.write_text("\n".join(urls) + "\n")
    cmd = ["wrk", "-t", "2", "-c", "8", "-d", f"{seconds}s", "--timeout", "30s", "--latency",
           "-s", str(ROOT / "bench" / "wrk_rotate.lua"), f"http://127.0.0.1:{port}", "--", str(paths)]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"req_per_s": rps, "p99_ms": round(float(p99.group(1)) * scale, 1),
            "non_2xx": int(errors.group(1)) if errors else 0, "seconds": seconds, "output": text}


def db_size(db: str) -> int:
    return sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))


def index_terms(db: str) -> int:
    """Distinct terms of the full-text index (folded stems and names): the vocabulary's size."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.execute("create virtual table temp.vocab using fts5vocab(main, 'article_fts', 'row')")
    return con.execute("select count(*) from temp.vocab").fetchone()[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--port", type=int, default=8766)
    ap.add_argument("--duration", type=int, default=20, help="seconds of wrk (0: no wrk run)")
    ap.add_argument("--mode", choices=("hybrid", "keyword", "meaning"),
                    help="mode=... on every URL (default: none, the page's default); writes search-N-MODE.json")
    args = ap.parse_args()
    global MODE
    MODE = f"&mode={args.mode}" if args.mode else ""
    n = corpus_stats(Path(args.corpus))["articles"]
    out = ROOT / "bench" / "out"
    queries = load_or_make(Path(args.corpus), n, args.db, out / f"queries-{n}.json")
    classes = queries["classes"]
    load_before = os.getloadavg()[0]
    spawned = time.perf_counter()
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "newsarchive"), "serve", "--db", args.db,
                               "--host", "127.0.0.1", "--port", str(args.port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sampler = RssSampler(server.pid)
    sampler.start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=120) as http:
            # the first search: a query of no class, so every class query stays cold
            start = cold_start(http, spawned, "ministre", queries["zero_hit"])
            lat = latency(http, classes)
        rss_after_latency = sampler.last
        urls = [url_of(q) for qs in classes.values() for q in qs]
        wrk = run_wrk(args.port, urls, args.duration, out) if args.duration else {}
    finally:
        sampler.stop.set()
        server.terminate()
        server.wait(20)
    report = {"n": n, "db": args.db, "db_bytes": db_size(args.db), "index_terms": index_terms(args.db),
              "cold_start": start, "classes": lat,
              "wrk": wrk, "server_rss_peak_mb": round(sampler.peak / 2**20),
              "server_rss_after_latency_mb": round(rss_after_latency / 2**20),
              "server_pss_peak_mb": round(sampler.pss_peak / 2**20), "server_pss_end_mb": round(sampler.pss_last / 2**20),
              "distinct_queries": len(set(urls)),
              "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)]}
    (out / (f"search-{n}-{args.mode}.json" if args.mode else f"search-{n}.json")).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    print_report(report)
    return 0


def print_report(r: dict) -> None:
    s = r["cold_start"]
    print(f"N={r['n']:,}  db {r['db_bytes'] / 1e9:.2f} GB, {r['index_terms']:,} distinct index terms, "
          f"{r['distinct_queries']} distinct queries")
    print(f"listening after {s['listening_s']} s; first search {s['first_search_ms']} ms "
          f"({s['first_search_since_spawn_s']} s after spawn); first zero-hit search {s['first_zero_hit_ms']} ms")
    print(f"{'class':14} {'cold p50':>9} {'cold p95':>9} {'warm p50':>9} {'warm p95':>9} {'median hits':>12}")
    for c, x in r["classes"].items():
        hits = statistics.median([t or 0 for t in x["totals"]])
        print(f"{c:14} {x['cold_p50']:9.1f} {x['cold_p95']:9.1f} {x['warm_p50']:9.1f} {x['warm_p95']:9.1f} {hits:12,.0f}")
    w = r["wrk"]
    if w.get("req_per_s") is not None:
        print(f"wrk c=8 {w['seconds']} s: {w['req_per_s']:.1f} req/s, p99 {w['p99_ms']} ms, non-2xx {w['non_2xx']}")
    print(f"server RSS peak {r['server_rss_peak_mb']} MB (after the latency pass {r['server_rss_after_latency_mb']} MB); "
          f"PSS (shared pages counted once) peak {r.get('server_pss_peak_mb')} MB, at the end {r.get('server_pss_end_mb')} MB; "
          f"1-min load average of the machine {r['load_average'][0]} before, {r['load_average'][1]} after (2 cores)")


if __name__ == "__main__":
    sys.exit(main())
