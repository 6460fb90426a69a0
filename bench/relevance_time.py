"""Relevance on the TIME magazine collection (1963, 423 articles, 83 queries): MAP and nDCG@10.

TIME.ALL is in SMART format, which no reader of ours takes: each ``*TEXT nnn`` document is
written as one JSONL record with only a ``text`` field (its lines joined: the blank line
between every text line is an artefact of the format) to bench/out/time/TIME.jsonl, then
imported with the real importer (the title is derived from the first sentence, as for any
untitled text). TIME.REL numbers documents by their 1-based position in TIME.ALL, not by the
``*TEXT`` number: position = JSONL line = the ``:LINE`` of the origin the reader records.
TIME.REL cites positions up to 425 for 423 documents: judged positions from 380 on are read as
position - 2 (``--positions-as-is`` turns that off; see SHIFT_FROM). Queries left with no
relevant document are not scored (56, 59, 62 and 72 have none in TIME.REL).

Runs the variants of bench/relevance_lib.py on the queries as written, then on the queries
without the collection's stop words (TIME.STP). Top 1000 for MAP, as trec_eval.

    .venv/bin/python bench/relevance_time.py
    .venv/bin/python bench/relevance_time.py --qrels /work/shared/corpora/time-ir/TIME.REL.ALL
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

import relevance_lib as rl

CORPUS = Path("/work/shared/corpora/time-ir")
# TIME.REL counts 425 documents (it cites positions 424 and 425); TIME.ALL has 423. The 22
# judgments citing positions >= 380 all share the most query words with the document two
# places earlier (one tied with one place earlier), and none cites 371-379: two documents of
# the judged numbering are missing between 371 and 379.
SHIFT_FROM, SHIFT = 380, 2


def write_jsonl(corpus: Path, out: Path) -> int:
    docs: list[list[str]] = []
    with gzip.open(corpus / "TIME.ALL.gz", "rt", encoding="ascii") as f:
        for line in f:
            if line.startswith("*TEXT"):
                docs.append([])
            elif line.startswith("*STOP"):
                break
            elif docs and line.strip():
                docs[-1].append(line.strip())
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for lines in docs:
            f.write(json.dumps({"text": " ".join(lines)}) + "\n")
    return len(docs)


def read_numbered(path: Path, marker: str) -> dict[str, str]:
    """``*FIND n`` blocks -> {n: text}."""
    out, current = {}, None
    for line in path.read_text(encoding="ascii").splitlines():
        if line.startswith(marker):
            current = line.split()[1]
            out[current] = ""
        elif line.startswith("*STOP"):
            break
        elif current is not None:
            out[current] += " " + line.strip()
    return {k: " ".join(v.split()) for k, v in out.items()}


def read_qrels(path: Path, position_article: dict[int, int], realign: bool) -> dict[str, set[int]]:
    qrels = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        positions = [int(p) for p in parts[1:]]
        if realign:
            positions = [p - SHIFT if p >= SHIFT_FROM else p for p in positions]
        relevant = {position_article[p] for p in positions if p in position_article}
        if relevant:
            qrels[parts[0]] = relevant
    return qrels


def without_stop_words(q: str, stop: set[str]) -> str:
    return " ".join(w for w in q.split() if w.upper() not in stop)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--qrels", type=Path, default=CORPUS / "TIME.REL")
    ap.add_argument("--db", type=Path, default=rl.OUT / "time.db")
    ap.add_argument("--positions-as-is", action="store_true",
                    help="read TIME.REL positions literally (positions 424, 425 then match nothing)")
    args = ap.parse_args()
    jsonl = rl.OUT / "time" / "TIME.jsonl"
    n = write_jsonl(args.corpus, jsonl)
    store, ids = rl.build_archive(args.db, [str(jsonl)], workers=1)
    position_article = {p: ids[f"{jsonl}:{p}"] for p in range(1, n + 1)}
    queries = read_numbered(args.corpus / "TIME.QUE", "*FIND")
    qrels = read_qrels(args.qrels, position_article, not args.positions_as_is)
    stop = set(re.findall(r"\S+", (args.corpus / "TIME.STP").read_text(encoding="ascii")))
    metrics = {"MAP": rl.average_precision, "nDCG@10": rl.ndcg}
    results = rl.evaluate(store, queries, qrels, 1000, metrics)
    rl.print_table(f"TIME, {len(qrels)} queries ({args.qrels.name}{', positions as is' if args.positions_as_is else ''}), queries as written, bm25 4,2,1", results)
    short = {k: without_stop_words(v, stop) for k, v in queries.items()}
    results = rl.evaluate(store, short, qrels, 1000, metrics)
    rl.print_table("queries without TIME.STP stop words, bm25 4,2,1", results)
    for weights in ((1.0, 1.0, 1.0), (2.0, 1.0, 1.0)):
        res = rl.evaluate(store, short, qrels, 1000, metrics, ("or", "and-then-or"), weights)
        rl.print_table("without stop words, bm25 weights {:g},{:g},{:g}".format(*weights), res)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
