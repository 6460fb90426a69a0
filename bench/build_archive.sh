#!/usr/bin/env bash
# Build the 100k-article benchmark archive and print the import throughput.
#   bash bench/build_archive.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
OUT=bench/out
mkdir -p $OUT
[ -d $OUT/corpus ] && [ "$(find $OUT/corpus -name '*.txt' | wc -l)" -ge "$N" ] || .venv/bin/python bench/make_corpus.py --n "$N" --out $OUT/corpus
rm -f $OUT/bench.db $OUT/bench.db-wal $OUT/bench.db-shm
.venv/bin/newsarchive migrate --db $OUT/bench.db
start=$(date +%s.%N)
/usr/bin/time -v .venv/bin/newsarchive import --quiet --db $OUT/bench.db $OUT/corpus 2> $OUT/import-time.txt | tail -1
end=$(date +%s.%N)
n=$(sqlite3 $OUT/bench.db "select count(*) from article" 2>/dev/null || .venv/bin/python -c "import sqlite3;print(sqlite3.connect('$OUT/bench.db').execute('select count(*) from article').fetchone()[0])")
python3 -c "s=$end-$start; print(f'imported $n articles in {s:.1f} s: {$n/s:.0f} articles/s')"
grep -E "Maximum resident" $OUT/import-time.txt || true
