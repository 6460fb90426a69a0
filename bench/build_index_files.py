"""Build the index files beside an archive (facet index, did-you-mean vocabulary, postings), as
`newsarchive import` does at its end, and print how long each took, as JSON.

    .venv/bin/python bench/build_index_files.py bench/out/bench-1000000.db
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import Settings  # noqa: E402
from app.store import open_store  # noqa: E402


def main() -> int:
    store = open_store(Settings(database_url=f"sqlite:///{sys.argv[1]}"))
    key = store.index_key()
    times = {}
    for name, build in (("docindex_s", store.doc_index), ("vocabulary_s", store.vocabulary),
                        ("postings_s", lambda: store._build_shared(key))):
        start = time.perf_counter()
        build()
        times[name] = round(time.perf_counter() - start, 1)
    p = store.postings()
    built = getattr(store, "build_seconds", {})  # the postings' time, split: the pairs table, then the words'
    times.update({f"{k}_only_s": round(v, 1) for k, v in built.items()})
    times.update(words_with_postings=len(p.terms), postings=int(len(p.rows)),
                 pairs=len(p.pairs.codes) if p.pairs is not None else 0,
                 pair_postings=int(len(p.pairs.rows)) if p.pairs is not None else 0)
    print(json.dumps(times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
