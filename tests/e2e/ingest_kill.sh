# Ingest killed part-way (SIGKILL during the LMDB load) leaves the previous
# snapshot intact and readable; the next complete ingest replaces it.
. tests/e2e/lib.inc
copy_run "$SAMPLES"
ini="$WORK/run/RUN.ini"
"$BIN" ingest --config "$ini" --dataset ga.person >/dev/null 2>&1 || fail "first ingest"
"$BIN" stats --config "$ini" > "$WORK/before.txt" || fail "stats"
before=$(grep '^ga.person' "$WORK/before.txt")
echo "$before" | grep -q '记录 [1-9]' || fail "no persons after the first ingest: $before"
# a changed input: only the first 1000 persons
zcat "$WORK/run/in/公安_户籍人口信息.csv.gz" | head -n 1001 | gzip > "$WORK/p.gz"
mv "$WORK/p.gz" "$WORK/run/in/公安_户籍人口信息.csv.gz"
set +e
BD_TEST_KILL_AFTER=2000 "$BIN" ingest --config "$ini" --dataset ga.person >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 137 ] || fail "expected the ingest to be killed (137), got $rc"
"$BIN" stats --config "$ini" > "$WORK/after_kill.txt" || fail "index unreadable after the kill"
cmp -s "$WORK/before.txt" "$WORK/after_kill.txt" ||
	{ diff "$WORK/before.txt" "$WORK/after_kill.txt"; fail "snapshot changed by a killed ingest"; }
"$BIN" ingest --config "$ini" --dataset ga.person >/dev/null 2>&1 || fail "third ingest"
"$BIN" stats --config "$ini" > "$WORK/after.txt"
grep -q '^ga.person *记录 1000 ' "$WORK/after.txt" ||
	{ grep '^ga.person' "$WORK/after.txt"; fail "complete re-ingest did not replace the snapshot"; }
