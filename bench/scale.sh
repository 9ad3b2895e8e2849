#!/bin/sh
# bench/scale.sh BIN [PERSONS] [CONFIGS] - thread and shard scaling of a cold
# quarterly run: for each THREADS:SHARDS in CONFIGS (default: 1:1 and, up to
# the core count, n:n for n = 2, 4, 8, 16), a fresh index; ingest, match and
# report each timed (wall seconds, peak RSS) with /usr/bin/time, BD_TIMING=1
# phases kept in $W/log-T-S. The county is bench/match.sh's (PERSONS
# registry rows from bench/gen_person.c, every 30th on the roll, every 50th
# with a certificate). Checks that flags.csv is byte-identical for every
# configuration; then an incremental run (only the roll changed) on the
# last index, against its cold run. Figures go into docs/PERFORMANCE.md.
set -eu
BIN=$(readlink -f "$1")
N=${2:-2000000}
NPROC=$(nproc)
if [ -n "${3:-}" ]; then
	CONFIGS=$3
else
	CONFIGS="1:1"
	for n in 2 4 8 16; do [ "$n" -le "$NPROC" ] && CONFIGS="$CONFIGS $n:$n"; done
fi
W=${BENCH_DIR:-/tmp/bidui-bench-scale}
mkdir -p "$W"
. bench/lib.inc
gen_persons "$W" "$N" "$W/person_$N.csv"
roll_and_certs "$W/person_$N.csv" "$W"
[ -f "$W/bench.key" ] || "$BIN" keygen "$W/bench.key" >/dev/null
# step CMD LABEL: runs bidui CMD, prints "seconds rssMiB"
step() {
	BD_TIMING=1 /usr/bin/time -f '%e %M' -o "$W/time" "$BIN" "$1" --config "$W/RUN.ini" >/dev/null 2>>"$W/log"
	awk '{ printf "%.2f %.0f", $1, $2 / 1024 }' "$W/time"
}
printf '%-8s %-7s %-9s %-9s %-9s %-9s %-12s %-12s %-12s\n' persons threads shards ingest_s match_s report_s \
	ingest_MiB match_MiB report_MiB
first=""
for c in $CONFIGS; do
	t=${c%:*} s=${c#*:}
	rm -rf "$W/index" "$W/out"
	{ run_section "$t"; printf 'shards = %s\n[dataset ga.person]\nfile = person_%s.csv\n' "$s" "$N"
	  printf '[dataset mz.roll]\nfile = roll.csv\n[dataset cl.cert]\nfile = cert.csv\n'; } > "$W/RUN.ini"
	: > "$W/log"
	set -- $(step ingest) $(step match) $(step report)
	cp "$W/log" "$W/log-$t-$s"
	printf '%-8s %-7s %-9s %-9s %-9s %-9s %-12s %-12s %-12s\n' "$N" "$t" "$s" "$1" "$3" "$5" "$2" "$4" "$6"
	if [ -z "$first" ]; then
		first=$c
		cp "$W/out/flags.csv" "$W/flags.first"
	else
		cmp -s "$W/flags.first" "$W/out/flags.csv" || { echo "flags.csv differs between $first and $c"; exit 1; }
	fi
	cold=$(awk -v a="$1" -v b="$3" -v c="$5" 'BEGIN { print a + b + c }')
done
echo "flags.csv identical for every configuration ($(wc -l < "$W/flags.first") lines)"
# incremental: the next quarter's roll (every 31st person instead of 30th)
roll_and_certs "$W/person_$N.csv" "$W" 31
/usr/bin/time -f '%e' -o "$W/time" "$BIN" run --config "$W/RUN.ini" >/dev/null 2>>"$W/log"
inc=$(cat "$W/time")
awk -v c="$cold" -v i="$inc" 'BEGIN { printf "cold run %.2f s (last configuration), incremental run (only the roll changed) %.2f s: %.1fx faster\n", c, i, c / i }'
