"""CPU ms per article of the import's preparation (app/ingest/prepare.py), stage by stage, over a
fixed set of files read by the real readers, median of 3 runs; and a check that the prepared
articles are the same as another commit's.

    nice -n 19 .venv/bin/python bench/make_corpus.py --n 20000 --out /tmp/prep-corpus-20000
    nice -n 19 .venv/bin/python bench/prepare_cpu.py --save /tmp/prepared-after.pickle
    git archive <commit> app | tar -x -C /tmp/before               # the code of another commit
    PYTHONPATH=/tmp/before nice -n 19 .venv/bin/python bench/prepare_cpu.py --save /tmp/prepared-before.pickle
    nice -n 19 .venv/bin/python bench/prepare_cpu.py --check /tmp/prepared-before.pickle
    nice -n 19 .venv/bin/python bench/prepare_cpu.py --worker      # a worker's read + prepare + pickle

The files: the first 4,000 of the generated corpus (60 % French, 40 % English), the 2,225 BBC
articles, the 3,012 OrangeSum sample articles and the first 3,000 Reuters stories (needs
/work/shared/corpora, or ../shared/corpora). Each stage runs over chunks of 64 records, as the
importer's workers do (``load.CHUNK``); "prepare_batch" is the whole function, the figure that
counts; the stages add up to about it. CPU time (time.process_time), which a shared machine
moves far less than wall time.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import itertools
import os
import pickle
import statistics
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path and not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))

from app.entities import load_gazetteer  # noqa: E402
from app.ingest import prepare as prep  # noqa: E402
from app.ingest.language import detect_languages, language_code  # noqa: E402
from app.ingest.record import ArticleRecord  # noqa: E402
from app.ingest.sources import iter_records  # noqa: E402
from app.ingest import stories  # noqa: E402
from app.ingest.stories import fingerprint  # noqa: E402

CHUNK, ROUNDS = 64, 3
CORPUS_FILES, REUTERS = 4000, 3000


def corpora_dir() -> Path:
    for candidate in (Path("/work/shared/corpora"), ROOT.parent / "shared" / "corpora"):
        if candidate.is_dir():
            return candidate
    raise SystemExit("no shared/corpora folder")


def record_sets(corpus: Path) -> dict[str, list[ArticleRecord]]:
    shared = corpora_dir()
    files = sorted(str(p) for p in corpus.rglob("*.txt"))[:CORPUS_FILES]
    paths = {
        "corpus": files,
        "bbc": [str(shared / "bbc-news" / "bbc-fulltext.tar.gz")],
        "orangesum": [str(shared / "orangesum-fr" / "orangesum_fr_3012.jsonl.gz")],
    }
    sets = {name: [r for r in iter_records(p) if isinstance(r, ArticleRecord)] for name, p in paths.items()}
    reuters = iter_records([str(shared / "reuters21578" / "reuters21578.tar.gz")])
    sets["reuters"] = list(itertools.islice((r for r in reuters if isinstance(r, ArticleRecord)), REUTERS))
    return sets


def _languages(records):
    languages = [language_code(r.language) for r in records]
    unknown = [i for i, language in enumerate(languages) if language is None]
    for i, language in zip(unknown, detect_languages([f"{records[i].title}\n{records[i].body}" for i in unknown])):
        languages[i] = language
    return languages


def _compress(records):
    for r in records:
        raw = r.original_bytes
        if raw is not None and raw != r.original_text.encode("utf-8"):
            zlib.compress(raw, 6)
        zlib.compress(r.original_text.encode("utf-8"), 6)
        zlib.compress(r.body.encode("utf-8"), 6)


def stage_times(records: list[ArticleRecord]) -> dict[str, float]:
    """CPU seconds of each stage over every chunk of ``records``."""
    gazetteer = load_gazetteer()
    batched = getattr(stories, "fingerprints", None)
    spent = dict.fromkeys(("language", "index text", "tags", "fingerprint", "content hash", "compress",
                           "prepare_batch"), 0.0)
    for start in range(0, len(records), CHUNK):
        chunk = records[start:start + CHUNK]
        t = time.process_time()
        languages = _languages(chunk)
        t, spent["language"] = time.process_time(), spent["language"] + time.process_time() - t
        columns = [prep.index_columns(r.title, r.body, lang) for r, lang in zip(chunk, languages)]
        t, spent["index text"] = time.process_time(), spent["index text"] + time.process_time() - t
        for r, lang in zip(chunk, languages):
            gazetteer.tag(r.title, r.body, lang)
        t, spent["tags"] = time.process_time(), spent["tags"] + time.process_time() - t
        if batched is not None:  # stories.fingerprints, where the code has it
            batched([cols[3] for cols in columns])
        else:
            for r, cols in zip(chunk, columns):
                fingerprint(r.title, r.body, cols[3], passages=False)
        t, spent["fingerprint"] = time.process_time(), spent["fingerprint"] + time.process_time() - t
        for r in chunk:
            prep.content_hash(r.title, r.body)
        t, spent["content hash"] = time.process_time(), spent["content hash"] + time.process_time() - t
        _compress(chunk)
        t, spent["compress"] = time.process_time(), spent["compress"] + time.process_time() - t
        prep.prepare_batch([copy.copy(r) for r in chunk])
        spent["prepare_batch"] += time.process_time() - t
    return spent


def prepared_all(records: list[ArticleRecord]) -> list:
    out = []
    for start in range(0, len(records), CHUNK):
        out.extend(prep.prepare_batch([copy.copy(r) for r in records[start:start + CHUNK]]))
    return out


def worker_task(corpus: Path) -> str:
    """What a worker does with the corpus files, in chunks of 64, one pass in this process (an
    empty stem cache, as a worker starts): read and parse the file, prepare_batch, pickle the
    results back. CPU ms per article of each."""
    from app.ingest import load
    files = sorted(str(p) for p in corpus.rglob("*.txt"))[:CORPUS_FILES]
    items = list(iter_records(files, defer_parse=True))
    spent = dict.fromkeys(("read", "prepare_batch", "pickle"), 0.0)
    for start in range(0, len(items), CHUNK):
        t = time.process_time()
        read = [load._read(item) for item in items[start:start + CHUNK]]
        t, spent["read"] = time.process_time(), spent["read"] + time.process_time() - t
        prepared = prep.prepare_batch([r for r in read if isinstance(r, ArticleRecord)])
        t, spent["prepare_batch"] = time.process_time(), spent["prepare_batch"] + time.process_time() - t
        pickle.dumps(prepared)
        spent["pickle"] += time.process_time() - t
    cells = "  ".join(f"{k} {1000 * v / len(items):.3f}" for k, v in spent.items())
    return f"worker task ({len(items):,} corpus files) CPU ms/article: {cells}  total {1000 * sum(spent.values()) / len(items):.3f}"


def differences(before: list, after: list) -> list[str]:
    """Which fields of which articles differ (by equality of the unpickled objects)."""
    if len(before) != len(after):
        return [f"{len(before)} articles before, {len(after)} now"]
    found = []
    for a, b in zip(before, after):
        for name in vars(a):
            if getattr(a, name) != getattr(b, name):
                found.append(f"{a.record.origin}: {name}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/prep-corpus-20000"))
    parser.add_argument("--save", type=Path, help="write the prepared articles (pickle) here")
    parser.add_argument("--check", type=Path, help="compare the prepared articles with this pickle")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--worker", action="store_true", help="only a worker's whole task, one pass")
    args = parser.parse_args()
    t = time.perf_counter()
    load_gazetteer()
    detect_languages(["warm up the language model before timing"])
    if args.worker:
        print(f"{worker_task(args.corpus)}; load average {os.getloadavg()[0]:.1f}")
        return
    sets = record_sets(args.corpus)
    everything = [r for records in sets.values() for r in records]
    print(f"{len(everything):,} articles ({', '.join(f'{k} {len(v):,}' for k, v in sets.items())}); "
          f"read in {time.perf_counter() - t:.1f} s; load average {os.getloadavg()[0]:.1f}")
    prepared = prepared_all(everything)
    blob = pickle.dumps(prepared, protocol=5)
    print(f"prepared articles: sha256 of the pickle {hashlib.sha256(blob).hexdigest()[:16]}")
    if args.save:
        args.save.write_bytes(blob)
    if args.check:
        diffs = differences(pickle.loads(args.check.read_bytes()), prepared)
        print(f"same as {args.check}: {'yes' if not diffs else 'NO, ' + str(len(diffs)) + ' fields differ'}")
        for line in diffs[:20]:
            print("   ", line)
    runs = [{name: stage_times(records) for name, records in sets.items()} for _ in range(args.rounds)]
    for run in runs:
        run["all"] = {stage: sum(run[name][stage] for name in sets) for stage in run["corpus"]}
    for name, count in [("all", len(everything)), *((k, len(v)) for k, v in sets.items())]:
        cells = "  ".join(f"{stage} {1000 * statistics.median(run[name][stage] for run in runs) / count:.3f}"
                          for stage in runs[0][name])
        print(f"{name:>9} ({count:,}) CPU ms/article, median of {args.rounds}: {cells}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    if args.check and diffs:
        sys.exit(1)


if __name__ == "__main__":
    main()
