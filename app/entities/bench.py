"""Tagging speed on a JSONL(.gz) corpus, one core:

    .venv/bin/python -m app.entities.bench /work/shared/corpora/orangesum-fr/orangesum_fr_full_36152.jsonl.gz

Prints articles/s for gz.tag(title, article, "fr"); loading the gazetteer and reading the file
are not timed.
"""
from __future__ import annotations

import gzip
import json
import sys
import time

from . import load_gazetteer


def main(path: str, language: str = "fr") -> None:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        docs = [(record.get("title") or "", record.get("article") or "")
                for record in map(json.loads, handle)]
    gz = load_gazetteer()
    start = time.perf_counter()
    tags = sum(len(gz.tag(title, body, language)) for title, body in docs)
    elapsed = time.perf_counter() - start
    chars = sum(len(title) + len(body) for title, body in docs) / max(len(docs), 1)
    print(f"{len(docs)} articles, mean {chars:,.0f} characters: {elapsed:.2f} s, "
          f"{len(docs) / elapsed:,.0f} articles/s, {tags} tags")


if __name__ == "__main__":
    main(*sys.argv[1:])
