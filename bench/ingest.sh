#!/bin/sh
# bench/ingest.sh BIN [ROWS...] - ga.person rows per second from
# uncompressed UTF-8 CSV to a committed index, for 1 and all threads, with
# peak RSS. Figures go into docs/PERFORMANCE.md.
set -eu
BIN=$(readlink -f "$1"); shift
ROWS=${*:-1000000 4000000}
W=${BENCH_DIR:-/tmp/bidui-bench}
mkdir -p "$W"
cc -O2 -o "$W/gen_person" bench/gen_person.c
NPROC=$(nproc)
[ -f "$W/bench.key" ] || "$BIN" keygen "$W/bench.key" >/dev/null
printf '%-10s %-8s %-10s %-12s %-14s %-10s\n' rows threads seconds rows/s rows/s/core maxRSS_MB
for n in $ROWS; do
	[ -f "$W/person_$n.csv" ] || "$W/gen_person" "$n" "$W/person_$n.csv"
	for t in 1 $NPROC; do
		rm -rf "$W/index"
		cat > "$W/RUN.ini" <<INI
[run]
period = bench
as_of = 2026-12-31
jurisdiction = 4101
key = bench.key
index = index
out = out
threads = $t
[dataset ga.person]
file = person_$n.csv
encoding = utf-8
INI
		/usr/bin/time -f '%e %M' -o "$W/time" "$BIN" ingest --config "$W/RUN.ini" >/dev/null
		read -r secs rss < "$W/time"
		awk -v n="$n" -v t="$t" -v s="$secs" -v r="$rss" 'BEGIN {
			printf "%-10d %-8d %-10.2f %-12.0f %-14.0f %-10.0f\n", n, t, s, n / s, n / s / t, r / 1024 }'
		[ "$t" = "$NPROC" ] && break
	done
done
