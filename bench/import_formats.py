"""Import speed and peak memory per format, through the real CLI, each into a fresh database.

    .venv/bin/python bench/import_formats.py            # BBC (tar.gz of .txt), OrangeSum (JSONL.gz, JSON), Reuters (SGML)
    .venv/bin/python bench/import_formats.py --only orangesum-10k orangesum-36k

Peak memory is the largest sum of RSS over the whole process tree (the CLI and its worker
processes), sampled every 50 ms from /proc; RSS counts pages shared after fork once per process,
so the sum overstates real use a little. OrangeSum runs at 10k and 36k articles: a flat peak
shows the import streams instead of loading whole files.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
OUT = ROOT / "bench" / "out"
CLI = ROOT / ".venv" / "bin" / "newsarchive"
ORANGESUM = CORPORA / "orangesum-fr" / "orangesum_fr_full_36152.jsonl.gz"


def orangesum_head(lines: int) -> Path:
    """The first ``lines`` records of the full OrangeSum file, as a gzip JSONL in bench/out."""
    path = OUT / f"orangesum_fr_first_{lines}.jsonl.gz"
    if not path.exists():
        with gzip.open(ORANGESUM, "rb") as src, gzip.open(path, "wb", compresslevel=1) as dst:
            dst.writelines(itertools.islice(src, lines))
    return path


def orangesum_array() -> Path:
    """The full OrangeSum file as one JSON array (95 MB), in bench/out: the usual shape of an
    export from another tool, which the JSON reader streams item by item."""
    path = OUT / "orangesum_fr_full.json"
    if not path.exists():
        with gzip.open(ORANGESUM, "rb") as src, path.open("wb") as dst:
            dst.write(b"[\n")
            for n, line in enumerate(line for line in src if line.strip()):
                dst.write((b",\n" if n else b"") + line.strip())
            dst.write(b"\n]\n")
    return path


CASES = {
    "bbc": ("text files in a .tar.gz", lambda: CORPORA / "bbc-news" / "bbc-fulltext.tar.gz"),
    "orangesum-10k": ("JSON Lines .gz", lambda: orangesum_head(10_000)),
    "orangesum-36k": ("JSON Lines .gz", lambda: ORANGESUM),
    "orangesum-array": ("one JSON array", orangesum_array),
    "reuters": ("SGML in a .tar.gz", lambda: CORPORA / "reuters21578" / "reuters21578.tar.gz"),
}


def tree_rss(root_pid: int) -> int:
    """Sum of VmRSS (bytes) of root_pid and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue  # the process ended meanwhile
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, ppid = int(entry.name), int(fields.get("PPid", "0"))
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run(name: str, corpus: Path) -> dict:
    db = OUT / f"formats-{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    command = [str(CLI), "import", "--quiet", "--db", str(db), str(corpus)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):  # 1 = some records rejected (e.g. empty OrangeSum articles)
        sys.exit(f"{name}: import failed ({process.returncode}): {process.stderr.read().decode()[-2000:]}")
    return {"name": name, "articles": count_articles(db), "seconds": seconds, "peak": peak,
            "exit": process.returncode, "command": " ".join(command)}


def count_articles(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM article").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=sorted(CASES), help="run only these cases")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{'case':<15} {'format':<26} {'articles':>8} {'seconds':>8} {'articles/s':>10} {'peak RSS':>9}")
    for name in args.only or CASES:
        what, corpus = CASES[name]
        path = corpus()
        if not path.exists():
            print(f"{name:<15} skipped: {path} is absent")
            continue
        r = run(name, path)
        print(f"{name:<15} {what:<26} {r['articles']:>8} {r['seconds']:>8.1f} "
              f"{r['articles'] / r['seconds']:>10.0f} {r['peak'] / 2**20:>6.0f} MB", flush=True)


if __name__ == "__main__":
    main()
