#!/bin/sh
# bench/cold.sh BIN [PERSONS...] - the cold quarterly run against DuckDB and the floor
# (issue #13). For each county size (default 2000000 5000000):
#   1. bench/gen_county.c writes the county (all ten exports as UTF-8 CSV + RUN.ini),
#      cached in $BENCH_DIR/county_N;
#   2. bidui: `bidui run --config RUN.ini` on a fresh index (BD_TIMING=1 phases kept);
#   3. DuckDB: bench/duckdb/rules.sql over the same CSVs (load + rules), in memory;
#   4. the floor: /work/shared/tools/floor.c (read, HMAC, sort, LMDB append) on the
#      same CSVs;
#   5. bench/duckdb/compare.py: both flag sets must be equal, rule by rule;
#   6. incremental: the 低保 roll file edited (every 50th row dropped, every 7th
#      amount changed), then `bidui run` again on the same index, and DuckDB again
#      to check its flags.
# Prints seconds and peak RSS of each, and the ratios bidui/DuckDB, bidui
# ingest/floor and cold/incremental. County file names contain no spaces. Needs node (bench/duckdb: npm install, done
# here when node_modules is missing), python3, cc, libssl-dev and liblmdb-dev.
# Exit status 1 when a flag set differs.
set -eu
BIN=$(readlink -f "$1"); shift
SIZES=${*:-2000000 5000000}
W=${BENCH_DIR:-/tmp/bidui-bench-cold}
THREADS=${BENCH_THREADS:-$(nproc)}
SRC=$(pwd)
DIV=${BENCH_DIVISIONS:-/work/shared/data/divisions}
FLOOR=${BENCH_FLOOR:-/work/shared/tools/floor.c}
COUNTY=${BENCH_COUNTY:-411525}     # 固始县, 33 townships, 661 villages
mkdir -p "$W"
cc -O2 -o "$W/gen_county" bench/gen_county.c
[ -d bench/duckdb/node_modules/@duckdb/node-api ] ||
	(cd bench/duckdb && npm install --no-audit --no-fund >/dev/null)
HAVE_FLOOR=0
if [ -f "$FLOOR" ] && cc -O2 -o "$W/floor" "$FLOOR" -lcrypto -llmdb 2>"$W/floor.cc.log"; then
	HAVE_FLOOR=1
else
	echo "floor: not built ($FLOOR; see $W/floor.cc.log)"
fi
# timed LABEL CMD...: runs CMD under /usr/bin/time, its output in $W/LABEL.log;
# sets SECS and RSS_MB
timed() {
	label=$1; shift
	/usr/bin/time -f '%e %M' -o "$W/$label.time" "$@" >"$W/$label.log" 2>&1 ||
		{ echo "$label failed:"; tail -20 "$W/$label.log"; exit 1; }
	read -r SECS rss < "$W/$label.time"
	RSS_MB=$((rss / 1024))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ROLL=民政_低保特困边缘名册.csv
status=0
for n in $SIZES; do
	C="$W/county_$n"
	if [ ! -f "$C/RUN.ini" ]; then
		mkdir -p "$C"
		if [ -f "$DIV/villages.csv.gz" ]; then
			{ echo township_code,township_name,village_code,village_name
			  zcat "$DIV/villages.csv.gz" | tr -d '"' | awk -F, -v c="$COUNTY" \
				'NR == FNR { t[$1] = $2; next } $6 == c { print $3 "," t[$3] "," $1 "," $2 }' \
				"$DIV/streets.csv" - | tr -d '"'; } > "$C/divisions.csv"
		fi
		(cd "$SRC" && "$W/gen_county" "$n" "$C" 7)
		cp "$C/$ROLL" "$C/$ROLL.orig"
	fi
	cp "$C/$ROLL.orig" "$C/$ROLL"
	sed -i "s/^threads = .*/threads = $THREADS/" "$C/RUN.ini"
	[ -f "$C/bench.key" ] || "$BIN" keygen "$C/bench.key" >/dev/null
	files=$(sed -n 's/^file = //p' "$C/RUN.ini" | sed "s|^|$C/|")
	rows=$(cat $files | wc -l)
	mb=$(du -cm $files | tail -1 | cut -f1)
	echo "== county of $n persons: $rows lines in 10 CSV files, $mb MB; $THREADS threads; $(date -u '+%F %T') UTC"

	rm -rf "$C/index" "$C/out"
	timed bidui env -C "$C" BD_TIMING=1 "$BIN" run --config RUN.ini
	b_s=$SECS b_rss=$RSS_MB
	ingest_s=$(awk '/^\[timing\]/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+s,?$/ && $(i-1) ~ /^(read\+hash|sort\+load|commit)$/) { sub(/s,?$/, "", $i); s += $i } } END { printf "%.2f", s }' "$W/bidui.log")
	grep '^\[timing\]' "$W/bidui.log" | sed 's/^/    /' | grep -v ' match [CLRQ][0-9]' || true
	grep '^\[timing\] match [CLRQ][0-9]' "$W/bidui.log" | awk '{ printf "%s%s %s", (NR > 1 ? ", " : "    match rules: "), $3, $4 } END { print "" }'
	cp "$C/out/flags.csv" "$W/flags_$n.csv"

	timed duckdb node bench/duckdb/run.mjs "$C" "$W/duckdb_$n.csv" "$THREADS"
	d_s=$SECS d_rss=$RSS_MB
	sed 's/^/    /' "$W/duckdb.log"

	f_s=0 f_rss=0
	if [ "$HAVE_FLOOR" = 1 ]; then
		rm -rf "$W/floor_index"
		timed floor "$W/floor" "$W/floor_index" $files
		f_s=$SECS f_rss=$RSS_MB
		sed 's/^/    /' "$W/floor.log"
		rm -rf "$W/floor_index"
	fi

	if python3 bench/duckdb/compare.py "$W/flags_$n.csv" "$W/duckdb_$n.csv" "$C/bench.key" > "$W/compare_$n.txt"; then
		same="equal"
	else
		same="DIFFERENT (see $W/compare_$n.txt)"
		status=1
	fi
	sed 's/^/    /' "$W/compare_$n.txt"

	# incremental: the next run with only the 低保 roll file changed
	# (序号 renumbered, as a new export would be)
	awk -F, -v OFS=, 'NR == 1 { print; next } (NR - 1) % 50 { $1 = ++k; if (NR % 7 == 0 && $9 != "") $9 = sprintf("%.2f", $9 + 20); print }' \
		"$C/$ROLL.orig" > "$C/$ROLL"
	timed bidui_incr env -C "$C" BD_TIMING=1 "$BIN" run --config RUN.ini
	i_s=$SECS i_rss=$RSS_MB
	timed duckdb_incr node bench/duckdb/run.mjs "$C" "$W/duckdb_incr_$n.csv" "$THREADS"
	if python3 bench/duckdb/compare.py "$C/out/flags.csv" "$W/duckdb_incr_$n.csv" "$C/bench.key" > "$W/compare_incr_$n.txt"; then
		isame="equal"
	else
		isame="DIFFERENT (see $W/compare_incr_$n.txt)"
		status=1
	fi
	cp "$C/$ROLL.orig" "$C/$ROLL"

	printf '    %-34s %8s %10s\n' "" seconds "peak MiB"
	printf '    %-34s %8s %10s\n' "bidui run, cold (fresh index)" "$b_s" "$b_rss"
	printf '    %-34s %8s %10s\n' "  of which ingest (BD_TIMING)" "$ingest_s" ""
	printf '    %-34s %8s %10s\n' "DuckDB load + 18 rules" "$d_s" "$d_rss"
	printf '    %-34s %8s %10s\n' "floor (read, HMAC, sort, LMDB)" "$f_s" "$f_rss"
	printf '    %-34s %8s %10s\n' "bidui run, incremental (roll only)" "$i_s" "$i_rss"
	echo "    bidui/duckdb $(ratio "$b_s" "$d_s"), bidui ingest/floor $(ratio "$ingest_s" "$f_s"), cold/incremental $(ratio "$b_s" "$i_s")"
	echo "    flags bidui = duckdb: cold $same, incremental $isame"
done
exit $status
