# An ingest killed at any moment (SIGKILL part-way through the load of any
# shard, just before the commit, or at random times) leaves the previous
# generation whole: two changed datasets are never seen half old, half new,
# and the next match gives the previous flags byte for byte. A complete
# ingest then switches both datasets at once.
. tests/e2e/lib.inc
copy_run "$FIX"
cd "$WORK/run"
sed -i -e "s|^\[run\]|[run]\nshards = 4|" RUN.ini
mv in in-old
cp -r in-old in-new
# the new quarter: the registry loses its last 1000 persons, the roll file
# its last 40 rows
zcat in-old/公安_户籍人口.csv.gz | head -n -1000 | gzip > in-new/公安_户籍人口.csv.gz
drop_records in-new/民政_其他救助名册.csv 40
ln -s in-new in
sed -e 's|^index .*|index = var/index-new|' -e 's|^out .*|out = out/new|' RUN.ini > RUN-new.ini
"$BIN" run --config RUN-new.ini >/dev/null 2>&1 || fail "run on the new inputs"
ln -sfn in-old in
"$BIN" ingest --config RUN.ini >/dev/null 2>&1 || fail "first ingest"
"$BIN" match --config RUN.ini >/dev/null 2>&1 || fail "first match"
cp out/2026Q4/flags.csv flags-old
cp out/new/flags.csv flags-new
cmp -s flags-old flags-new && fail "the new inputs do not change the flags: the test is too weak"
# entries the changed datasets load (the others are unchanged, not read)
entries=$("$BIN" stats --config RUN-new.ini | awk '/^[a-z]/ { on = /^(ga.person|mz.roll) / }
	on && /记录|条$/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { s += $i; break } } END { print s }')
[ "$entries" -gt 20000 ] || fail "only $entries entries"
ln -sfn in-new in
# same_as WHICH: match now and compare with flags-WHICH
same_as() {
	"$BIN" match --config RUN.ini >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "match after a kill"; }
	cmp -s out/2026Q4/flags.csv "flags-$1"
}
kills=0
# loads commit in chunks (64 MiB, here 16 KiB: hundreds of chunks, a key's
# records split between two of them): a kill after some chunks leaves a
# partly filled generation nobody reads
for n in 1 2000 $(awk -v e="$entries" 'BEGIN { srand(7); for (i = 0; i < 8; i++) printf "%d ", 1 + int(rand() * e) }'); do
	set +e
	BD_TEST_LOAD_CHUNK=16384 BD_TEST_KILL_AFTER=$n "$BIN" ingest --config RUN.ini >/dev/null 2>&1
	rc=$?
	set -e
	[ "$rc" -eq 137 ] || fail "BD_TEST_KILL_AFTER=$n: expected the ingest to be killed (137), got $rc"
	same_as old || fail "killed after $n of $entries entries: the flags are not the previous generation's"
	kills=$((kills + 1))
done
set +e
BD_TEST_KILL_AT=commit "$BIN" ingest --config RUN.ini >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 137 ] || fail "BD_TEST_KILL_AT=commit: got $rc"
same_as old || fail "killed before the commit: the flags are not the previous generation's"
# kills at random times: whatever phase they hit, a match sees one
# generation, old or new
i=0
# BD_TEST_ROUNDS=N: N kill times spread over 2-42 ms, the time an ingest of
# the two changed datasets takes here (long runs, outside CI)
times="0.002 0.004 0.006 0.008 0.01 0.015 0.02 0.03 0.05 0.1"
[ -n "${BD_TEST_ROUNDS:-}" ] && times=$(awk -v n="$BD_TEST_ROUNDS" 'BEGIN { srand(11); for (i = 0; i < n; i++) printf "%.4f ", 0.002 + rand() * 0.04 }')
for d in $times; do
	set +e
	timeout -s KILL "$d" "$BIN" ingest --config RUN.ini >/dev/null 2>&1
	rc=$?
	set -e
	if same_as old; then
		kills=$((kills + 1))
	elif same_as new; then
		done_=$((${done_:-0} + 1))
		# it finished: back to the old generation for the next try
		ln -sfn in-old in
		"$BIN" ingest --config RUN.ini >/dev/null 2>&1 || fail "ingest back to the old inputs"
		ln -sfn in-new in
	else
		diff out/2026Q4/flags.csv flags-old | head -5
		fail "killed after ${d}s (exit $rc): flags neither the old nor the new generation's"
	fi
	i=$((i + 1))
done
[ "$kills" -ge 11 ] || fail "only $kills kills hit the ingest"
echo "$kills killed ingests left the previous generation whole; ${done_:-0} finished before their kill and switched both datasets"
BD_TEST_LOAD_CHUNK=16384 "$BIN" ingest --config RUN.ini >/dev/null 2>&1 || fail "complete ingest"
same_as new || fail "a complete ingest (in 16 KiB chunks) did not switch to the new generation"
# the old generation's databases are dropped once no reader holds them
want=$("$BIN" stats --config RUN-new.ini | grep -o '^ga.person *记录 [0-9]*')
"$BIN" stats --config RUN.ini | grep -q "^$want " || fail "stats after the switch: not $want"
python3 - "$WORK/run/var/index" <<'PY' || fail "old generations left in the shards"
import os, subprocess, sys
idx = sys.argv[1]
for d in sorted(os.listdir(idx)):
    if not d.startswith('shard-'):
        continue
    out = subprocess.run(['mdb_stat', '-a', os.path.join(idx, d)], capture_output=True, text=True).stdout
    gens = {l.split('@')[1].rstrip(':\n') for l in out.splitlines() if l.startswith('Status of ') and '@' in l}
    if len(gens) > 2:
        print(d, 'holds generations', gens); sys.exit(1)
PY
