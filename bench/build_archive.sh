#!/usr/bin/env bash
# Build the N-article benchmark archive (default 100,000) and print the import throughput.
#   bash bench/build_archive.sh [N]
# Corpus: bench/out/corpus-N (make_corpus.py, realistic; reused when bench/out/corpus-N.stats.json says N
# articles of the current generator version). Archive: bench/out/bench-N.db (rebuilt each time).
# Writes bench/out/import-N.json (seconds, articles/s, importer peak RSS), then builds the index files
# beside the archive (what `newsarchive import` does at its end) timed apart: bench/out/index-files-N.json.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
OUT=bench/out
CORPUS=$OUT/corpus-$N
DB=$OUT/bench-$N.db
mkdir -p $OUT
version=$(.venv/bin/python -c "import sys; sys.path.insert(0, 'bench'); import make_corpus; print(make_corpus.VERSION)")
if ! .venv/bin/python -c "import json,sys; s=json.load(open('$CORPUS.stats.json')); sys.exit(not (s['articles']==$N and s['version']==$version))" 2>/dev/null; then
  rm -rf "$CORPUS"
  nice -n 10 .venv/bin/python bench/make_corpus.py --n "$N" --out "$CORPUS"
fi
rm -f $DB $DB-wal $DB-shm
.venv/bin/newsarchive migrate --db $DB
start=$(date +%s.%N)
# exit code 1 = some files rejected (reported on the summary line): the figures still count
status=0
nice -n 10 /usr/bin/time -v .venv/bin/newsarchive import --quiet --no-index-files --no-embed --db $DB $CORPUS 2> $OUT/import-time-$N.txt | tail -1 || status=$?
end=$(date +%s.%N)
# then the index files serve needs (facet index, vocabulary, postings), timed apart
nice -n 10 /usr/bin/time -v .venv/bin/python bench/build_index_files.py $DB > $OUT/index-files-$N.json 2> $OUT/index-files-time-$N.txt
[ "$status" -le 1 ] || { cat $OUT/import-time-$N.txt >&2; exit "$status"; }
.venv/bin/python - "$DB" "$start" "$end" "$OUT/import-time-$N.txt" "$OUT/import-$N.json" <<'PY'
import json, re, sqlite3, sys
db, start, end, timefile, out = sys.argv[1:]
con = sqlite3.connect(db)
n = con.execute("select count(*) from article").fetchone()[0]
grouped = con.execute("select count(*) from article where story_id is not null and story_id != id").fetchone()[0]
s = float(end) - float(start)
rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(timefile).read())
info = {"articles": n, "seconds": round(s, 1), "per_second": round(n / s), "grouped": grouped,
        "importer_peak_rss_mb": round(int(rss.group(1)) / 1024) if rss else None}
json.dump(info, open(out, "w"))
print(f"imported {n} articles in {s:.1f} s: {n / s:.0f} articles/s; peak RSS of the importing process "
      f"{info['importer_peak_rss_mb']} MB; {grouped} articles in another article's story ({100 * grouped / n:.1f} %)")
PY
