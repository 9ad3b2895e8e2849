# The shared sample district (../shared/data/samples) in its real export
# forms ingests end to end, every file's rows reconcile, and stats reports it.
. tests/e2e/lib.inc
[ -d "$SAMPLES" ] || fail "samples not found at $SAMPLES"
copy_run "$SAMPLES"
"$BIN" ingest --config "$WORK/run/RUN.ini" >"$WORK/out.txt" 2>"$WORK/err.txt" ||
	{ cat "$WORK/err.txt"; fail "ingest of the sample district failed"; }
"$BIN" stats --config "$WORK/run/RUN.ini" >"$WORK/stats.txt" || fail "stats failed"
for ds in ga.person ga.vehicle ga.custody cl.cert wj.death wj.illness mz.cremation mz.cadre mz.roll; do
	grep -q "^$ds *记录 [1-9]" "$WORK/stats.txt" || { cat "$WORK/stats.txt"; fail "$ds has no records"; }
done
python3 tests/e2e/check_index.py "$WORK/run/var/index" "$WORK/run/out/2026Q4/rejected.csv" \
	--samples "$SAMPLES/in" || fail "index checks"
