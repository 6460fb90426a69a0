"""Non-articles imported and real articles skipped (issue 9, finding 8), on every folder of
../shared/corpora and ../shared/seeds, read by the importer's own walk (``iter_records``, all
readers and containers, no database).

    .venv/bin/python bench/non_articles.py

What a real article is comes from each corpus's documented layout (its SOURCE.md), not from the
rules under test: a BBC ``bbc/<category>/<NNN>.txt`` member, a Reuters ``<REUTERS>`` story, an
OrangeSum or SciFact-corpus JSON line, a Morocco World News CSV row, a TIME ``*TEXT`` record, a
seed file (a record with neither title nor text, as a few Reuters stories, is counted apart,
as "empty rejected"). Everything else found in the folders (SOURCE.md, READMEs, category lists, stop words,
queries, relevance judgements, the CIA factbook facts, the DTD) is a non-article.
"""
from __future__ import annotations

import collections
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED", ROOT.parent / "shared"))

from app.ingest.record import ArticleRecord  # noqa: E402
from app.ingest.sources import iter_records  # noqa: E402

ARTICLES = re.compile(
    r"bbc-fulltext\.tar\.gz!bbc/[a-z]+/\d+\.txt$"
    r"|reut2-\d+\.sgm#NEWID=\d+$"
    r"|orangesum_fr_[a-z_\d]+\.jsonl\.gz:\d+$"
    r"|scifact/corpus\.jsonl\.gz:\d+$"
    r"|moroccoworldnews\.csv\.gz:\d+$"
    r"|TIME\.ALL\.gz#TEXT\d+$"
    r"|seeds/\d+_[0-9a-f]+\.txt$"
)


def is_article(origin: str) -> bool:
    return ARTICLES.search(origin) is not None


def measure(folder: Path) -> dict:
    counts = collections.Counter()
    wrong: list[str] = []
    for item in iter_records([str(folder)]):
        real = is_article(item.origin)
        if isinstance(item, ArticleRecord):
            counts["real imported" if real else "non-articles imported"] += 1
            if not real:
                wrong.append(f"  imported, not an article: {item.origin}")
        elif item.skipped:
            counts["real skipped" if real else "non-articles skipped"] += 1
            if real:
                wrong.append(f"  skipped, a real article: {item.origin} ({item.reason})")
        elif item.reason == "no title and no text":
            counts["empty rejected"] += 1  # Reuters' stories with neither title nor body: nothing to import
        else:
            counts["real rejected" if real else "non-articles rejected"] += 1
            if real:
                wrong.append(f"  rejected, a real article: {item.origin} ({item.reason})")
    return {"counts": counts, "wrong": wrong}


def main() -> None:
    folders = sorted(p for p in (SHARED / "corpora").iterdir() if p.is_dir()) + [SHARED / "seeds"]
    columns = ("real imported", "real skipped", "real rejected", "non-articles imported", "non-articles skipped",
               "non-articles rejected", "empty rejected")
    print(f"{'folder':<20}" + "".join(f"{c:>22}" for c in columns))
    total = collections.Counter()
    problems = []
    for folder in folders:
        result = measure(folder)
        total.update(result["counts"])
        problems += result["wrong"]
        print(f"{folder.name:<20}" + "".join(f"{result['counts'][c]:>22,}" for c in columns), flush=True)
    print(f"{'total':<20}" + "".join(f"{total[c]:>22,}" for c in columns))
    print("\n".join(problems[:40]) or "no non-article imported, no real article skipped")


if __name__ == "__main__":
    main()
