#!/usr/bin/env bash
# Issue 10's figures for N articles (default 100,000), in one table:
#   bash bench/scale.sh [N] [WRK_SECONDS]
# 1. corpus and archive (bench/build_archive.sh; reuses bench/out/bench-N.db if it exists and
#    bench/out/import-N.json says how it was built: delete them to re-import);
# 2. the search page over HTTP: 600 distinct queries cold then warm, cold start, server RSS,
#    and wrk at concurrency 8 (bench/search_bench.py);
# 3. tantivy on the same corpus and queries (bench/tantivy_bench.py; needs '.[bench]');
# 4. the table (bench/scale_report.py). Heavy steps run at nice 10; what else was running on
#    the machine is written to bench/out/load-N.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
WRK=${2:-20}
OUT=bench/out
mkdir -p $OUT
{ date -u; uptime; ps -eo pid,ni,pcpu,rss,etime,args --sort=-pcpu | head -15; } > $OUT/load-$N.txt
if [ ! -f $OUT/bench-$N.db ] || [ ! -f $OUT/import-$N.json ]; then
  bash bench/build_archive.sh "$N"
fi
.venv/bin/python bench/search_bench.py --db $OUT/bench-$N.db --corpus $OUT/corpus-$N --duration "$WRK"
nice -n 10 .venv/bin/python bench/tantivy_bench.py --db $OUT/bench-$N.db --corpus $OUT/corpus-$N
{ echo; date -u; uptime; } >> $OUT/load-$N.txt
.venv/bin/python bench/scale_report.py "$N"
