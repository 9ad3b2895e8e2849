#!/bin/sh
# bench/ingest.sh BIN [ROWS...] - ga.person rows per second from
# uncompressed UTF-8 CSV to a committed index, for 1 and all threads, with
# peak RSS. Figures go into docs/PERFORMANCE.md.
set -eu
BIN=$(readlink -f "$1"); shift
ROWS=${*:-1000000 4000000}
W=${BENCH_DIR:-/tmp/bidui-bench}
mkdir -p "$W"
. bench/lib.inc
NPROC=$(nproc)
[ -f "$W/bench.key" ] || "$BIN" keygen "$W/bench.key" >/dev/null
printf '%-10s %-8s %-10s %-12s %-14s %-10s\n' rows threads seconds rows/s rows/s/core maxRSS_MB
for n in $ROWS; do
	gen_persons "$W" "$n" "$W/person_$n.csv"
	for t in 1 $NPROC; do
		rm -rf "$W/index"
		{ run_section "$t"; printf '[dataset ga.person]\nfile = person_%s.csv\nencoding = utf-8\n' "$n"; } \
			> "$W/RUN.ini"
		/usr/bin/time -f '%e %M' -o "$W/time" "$BIN" ingest --config "$W/RUN.ini" >/dev/null
		read -r secs rss < "$W/time"
		awk -v n="$n" -v t="$t" -v s="$secs" -v r="$rss" 'BEGIN {
			printf "%-10d %-8d %-10.2f %-12.0f %-14.0f %-10.0f\n", n, t, s, n / s, n / s / t, r / 1024 }'
		[ "$t" = "$NPROC" ] && break
	done
done
