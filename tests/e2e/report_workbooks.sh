# bidui report: township workbooks read back with openpyxl agree with flags.csv.
. tests/e2e/lib.inc
copy_run "$FIX"
"$BIN" run --config "$WORK/run/RUN.ini" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; fail "run"; }
/usr/bin/python3 tests/e2e/report_check.py "$WORK/run/out/2026Q4" 2026Q4 || fail "workbooks"
ls "$WORK"/run/out/2026Q4/.*tmp 2>/dev/null && fail "temporary files left behind"
exit 0
