# The planted rule scenarios of the fixture county, end to end.
. tests/e2e/lib.inc
copy_run "$FIX"
"$BIN" ingest --config "$WORK/run/RUN.ini" >/dev/null 2>&1 || fail "ingest"
"$BIN" match --config "$WORK/run/RUN.ini" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "match"; }
python3 tests/e2e/match_fixture.py "$WORK/run" "$WORK/run/out/2026Q4/flags.csv" \
	C01,C02,C03,C04,C05,C06,C07,L01,L02,L03,L04,L05,L06,R01,R02,Q01,Q02,Q03 || fail "planted scenarios"
python3 tests/e2e/match_truth.py "$WORK/run" "$WORK/run/out/2026Q4/flags.csv" ||
	fail "rules recomputed in SQL from the truth tables disagree"
