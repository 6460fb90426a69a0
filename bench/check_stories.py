"""The archive's near-duplicate grouping against the corpus's reprints (make_corpus.py writes
which article is a reprint of which in OUT.reprints.tsv).

Counts the articles the archive put in another article's story (story_id != id), how many of
them are reprints by construction, and how many reprints share their original's story.

    .venv/bin/python bench/check_stories.py --corpus bench/out/corpus-100000 --db bench/out/bench-100000.db
"""
from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    corpus = Path(args.corpus)
    pairs = dict(tuple(map(int, line.split("\t"))) for line in
                 (corpus.parent / f"{corpus.name}.reprints.tsv").read_text().splitlines())
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    story, number = {}, {}
    for art_id, origin, story_id in con.execute("select id, origin, story_id from article"):
        m = re.search(r"(\d+)\.txt$", origin)
        if m:
            number[art_id] = int(m.group(1))
            story[int(m.group(1))] = story_id or art_id
    grouped = [number[a] for a, s in con.execute("select id, story_id from article where story_id != id")]
    stray = sorted(g for g in grouped if g not in pairs)
    together = sum(1 for r, o in pairs.items() if r in story and o in story and story[r] == story[o])
    print(f"articles {len(story):,}; in another article's story: {len(grouped):,} "
          f"({100 * len(grouped) / max(1, len(story)):.2f} %)")
    print(f"reprints by construction {len(pairs):,}; in their original's story {together:,} "
          f"({100 * together / max(1, len(pairs)):.2f} %)")
    print(f"grouped but not a reprint: {len(stray):,}" + (f" (e.g. {stray[:10]})" if stray else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
