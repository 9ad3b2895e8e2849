#!/bin/sh
# bench/device.sh - the scale checks of issue 13 on a lent many-core
# machine, as one prepared script that prints figures as it goes and stays
# under 8 minutes (each phase is skipped when the time left is short).
# Needs .dev/ from bench/device_pack.sh (carry it). Data in /dev/shm.
#   1. 10 M persons (bench/gen_county.c): cold `bidui run` with 16 threads
#      and 16 shards, then ingest alone with 1, 4 and 16 threads (fresh
#      index each), flags.csv compared between 16 and 1 threads;
#   2. an incremental quarter (only the roll changed) on the 16-thread index;
#   3. 100 M persons, cold, 16 threads, if at least 5 minutes are left.
set -u
T0=$(date +%s)
left() { echo $((480 - ($(date +%s) - T0))); }
D=.dev
BIN="$D/lib/ld-linux-x86-64.so.2 --library-path $D/lib $D/bidui"
W=/dev/shm/bidui-device
mkdir -p "$W"
NP=$(nproc)
echo "machine: $NP cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; $(date -u)"
# timed LABEL CONFIG CMD: seconds and peak RSS of one bidui command
timed() {
	label=$1 ini=$2 cmd=$3
	/usr/bin/time -f '%e %M' -o "$W/t" env BD_TIMING=1 $BIN "$cmd" --config "$ini" >"$W/$label.log" 2>&1
	rc=$?
	read -r s m < "$W/t"
	echo "$label: $cmd ${s}s, peak RSS $((m / 1024)) MiB (exit $rc)"
	grep '^\[timing\]' "$W/$label.log" | grep -v ' match [CLRQ][0-9]' | sed 's/^/    /' | head -20
}
county() { # county N DIR
	[ -f "$2/RUN.ini" ] && return
	mkdir -p "$2"
	"$D/gen_county" "$1" "$2" 7 | tail -1
	$BIN keygen "$2/bench.key" >/dev/null
}
config() { # config DIR THREADS SHARDS NAME
	sed -e "s/^threads = .*/threads = $2/" -e "s|^index = .*|index = index-$4|" -e "s|^out = .*|out = out-$4|" \
		-e "s/^\[run\]/[run]\nshards = $3/" "$1/RUN.ini" > "$1/RUN-$4.ini"
	rm -rf "$1/index-$4" "$1/out-$4"
	echo "$1/RUN-$4.ini"
}
N1=${DEVICE_N1:-10000000} N2=${DEVICE_N2:-100000000}
C=$W/c$N1
county "$N1" "$C"
echo "== $N1 persons: $(du -sm "$C" | cut -f1) MB of CSV"
timed cold16 "$(config "$C" "$NP" 16 t16)" run
for t in 1 4; do
	[ "$(left)" -gt 200 ] || { echo "skip ingest with $t threads: $(left) s left"; continue; }
	timed ingest$t "$(config "$C" "$t" 16 t$t)" ingest
	[ "$t" = 1 ] && timed match1 "$C/RUN-t1.ini" match && { cmp -s "$C/out-t1/flags.csv" "$C/out-t16/flags.csv" &&
		echo "flags.csv identical for 1 and $NP threads" || echo "FLAGS DIFFER between 1 and $NP threads"; }
done
ROLL=$(ls "$C" | grep 低保 | head -1)
awk -F, -v OFS=, 'NR == 1 { print; next } (NR - 1) % 50 { print }' "$C/$ROLL" > "$W/roll" && mv "$W/roll" "$C/$ROLL"
timed incr16 "$C/RUN-t16.ini" run
if [ "$(left)" -gt 300 ]; then
	C=$W/c$N2
	county "$N2" "$C"
	echo "== $N2 persons: $(du -sm "$C" | cut -f1) MB of CSV, $(left) s left"
	timed cold100m "$(config "$C" "$NP" 64 p100)" run
else
	echo "skip 100 M persons: $(left) s left"
fi
echo "done in $(( $(date +%s) - T0 )) s"
