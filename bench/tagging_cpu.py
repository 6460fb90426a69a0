"""CPU time of the tagger alone: gz.tag over the first 12,000 OrangeSum articles and the first
5,000 Reuters stories, best of 3 runs, and the gazetteer's load time (needs /work/shared/corpora).

    .venv/bin/python bench/tagging_cpu.py after
    git archive <commit> app | tar -x -C /tmp/before          # the tagger of another commit
    (cd /tmp && PYTHONPATH=/tmp/before /work/wt-tags/.venv/bin/python /work/wt-tags/bench/tagging_cpu.py before)

CPU time (time.process_time) rather than wall time: on a shared machine it moves far less.
"""
import gzip
import itertools
import json
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import entities_eval_corpora as ev  # noqa: E402

ORANGESUM, REUTERS, ROUNDS = 12000, 5000, 3


def articles() -> list[tuple[str, str, str]]:
    out = []
    with gzip.open(ev.SOURCES["orangesum-full"], "rt", encoding="utf-8") as handle:
        for line in itertools.islice(handle, ORANGESUM):
            record = json.loads(line)
            out.append((record["title"], record["article"], "fr"))
    with tarfile.open(ev.SOURCES["reuters"]) as tar:
        for _, block in itertools.islice(ev.reuters_stories(tar), REUTERS):
            title, body = ev.reuters_text(block)
            out.append((title, body, "en"))
    return out


def main() -> None:
    label = sys.argv[1] if len(sys.argv) > 1 else "this tree"
    start = time.perf_counter()
    from app.entities import load_gazetteer
    gz = load_gazetteer()
    load = time.perf_counter() - start
    texts = articles()
    best = 0.0
    for _ in range(ROUNDS):
        started = time.process_time()
        for title, body, lang in texts:
            gz.tag(title, body, lang)
        best = max(best, len(texts) / (time.process_time() - started))
    print(f"{label}: gazetteer load {load:.2f} s; {len(texts)} articles; "
          f"best of {ROUNDS}: {best:,.0f} articles/s of CPU")


if __name__ == "__main__":
    main()
