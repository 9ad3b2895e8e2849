#!/bin/sh
# bench/match.sh BIN [PERSONS] - time `bidui match` on a synthetic county:
# PERSONS registry rows (bench/gen_person.c), every 30th person on a roll
# (DIBAO, some GAOLING), every 50th with a certificate. Figures go into
# docs/PERFORMANCE.md.
set -eu
BIN=$(readlink -f "$1")
N=${2:-1000000}
W=${BENCH_DIR:-/tmp/bidui-bench-match}
mkdir -p "$W"
. bench/lib.inc
gen_persons "$W" "$N" "$W/person.csv"
roll_and_certs "$W/person.csv" "$W"
[ -f "$W/bench.key" ] || "$BIN" keygen "$W/bench.key" >/dev/null
for t in 1 $(nproc); do
	{ run_section "$t"; cat <<INI
[dataset ga.person]
file = person.csv
[dataset mz.roll]
file = roll.csv
[dataset cl.cert]
file = cert.csv
INI
	} > "$W/RUN.ini"
	[ -d "$W/index" ] || "$BIN" ingest --config "$W/RUN.ini" >/dev/null
	/usr/bin/time -f "match: persons $N, threads $t: %e s, max RSS %M KB" "$BIN" match --config "$W/RUN.ini" >/dev/null
	cmp -s "$W/out/flags.csv" "$W/flags.$t" 2>/dev/null || cp "$W/out/flags.csv" "$W/flags.$t"
done
wc -l < "$W/out/flags.csv" | sed 's/^/flags: /'
cmp "$W/flags.1" "$W/flags.$(nproc)" && echo "flags.csv identical for 1 and $(nproc) threads"
